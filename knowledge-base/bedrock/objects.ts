import { ValidationError } from '../../domain/index.ts';
import type { Chunk, PassageMetadata } from '../documents/chunk.ts';

/** A Bedrock metadata attribute value: a string, number, boolean or list of strings. */
export type MetadataAttribute = string | number | boolean | string[];

/** Bedrock metadata attributes of a chunk; nulls are left out, since Bedrock cannot store them. */
export function metadataAttributes(metadata: PassageMetadata): Record<string, MetadataAttribute> {
  const attributes: Record<string, MetadataAttribute> = {};
  for (const [key, value] of Object.entries(metadata)) {
    if (value === null || value === undefined) continue;
    attributes[key] = value as string | string[];
  }
  return attributes;
}

/** The `<file>.metadata.json` sidecar Bedrock reads beside each ingested file. */
export function metadataSidecar(chunk: Chunk): string {
  return `${JSON.stringify({ metadataAttributes: metadataAttributes(chunk.metadata) }, null, 1)}\n`;
}

const SAFE_SOURCE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

/** Checks that a source id can be used as one segment of an object key. */
export function checkSourceId(sourceId: string): string {
  if (!SAFE_SOURCE_ID.test(sourceId)) {
    throw new ValidationError(
      `source id ${JSON.stringify(sourceId)} cannot name S3 objects: use letters, digits, ".", "_" and "-"`,
    );
  }
  return sourceId;
}

/**
 * The path of a chunk's file below the data source prefix: `<source id>/<section>.txt`, one
 * folder per document so that a document's files can be listed and replaced together.
 */
export function chunkObjectName(chunk: Chunk): string {
  const section = chunk.chunkId.startsWith(`${chunk.sourceId}#`)
    ? chunk.chunkId.slice(chunk.sourceId.length + 1)
    : chunk.chunkId;
  return `${checkSourceId(chunk.sourceId)}/${section.replace(/[^A-Za-z0-9_-]+/g, '__') || 'chunk'}.txt`;
}
