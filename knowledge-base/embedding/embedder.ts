/** The Embedder port: turns texts into L2-normalised vectors of a fixed dimension. */
export interface Embedder {
  /** Identifies the model and its settings; an index built with another id must be rebuilt. */
  readonly id: string;
  readonly dimensions: number;
  embed(params: { texts: readonly string[]; signal?: AbortSignal }): Promise<Float32Array[]>;
}
