/**
 * The Embedder port: turns texts into L2-normalised vectors of a fixed dimension.
 *
 * What every adapter promises (checked by `testing/embedder-contract.ts`):
 * - one `Float32Array` of `dimensions` finite numbers per text, in the order of `texts`;
 * - unit length, so that a dot product is the cosine similarity. The one exception is a text
 *   with nothing the model can represent (for a lexical model: only stop words or punctuation),
 *   which may give the zero vector;
 * - the same vector for the same text, whatever else is in the batch;
 * - an empty or whitespace-only text is a `ValidationError`, and no text is embedded;
 * - an aborted `signal` is a `CancelledError` whose cause is the signal's reason;
 * - no texts give no vectors.
 */
export interface Embedder {
  /** Identifies the model and its settings; an index built with another id must be rebuilt. */
  readonly id: string;
  /** Length of every vector. */
  readonly dimensions: number;
  /** Embeds `texts`; the result holds one vector per text, in the same order. */
  embed(params: { texts: readonly string[]; signal?: AbortSignal }): Promise<Float32Array[]>;
}
