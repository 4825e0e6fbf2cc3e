import { createHash } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { DocumentError } from '../../domain/index.ts';
import { PastDefectFrontMatter, SopFrontMatter, type KnowledgeDocument } from './schema.ts';

const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/;

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(front-matter)'}: ${issue.message}`)
    .join('; ');
}

/**
 * Parses one corpus file: YAML front-matter validated against the document's schema, then the body.
 * Throws a {@link DocumentError} naming the file and the problem.
 */
export function parseDocument({ file, source }: { file: string; source: string }): KnowledgeDocument {
  const match = FRONT_MATTER.exec(source);
  if (!match) throw new DocumentError(file, 'missing YAML front-matter (a --- block at the top)');
  const [, yamlText = '', body = ''] = match;
  let raw: unknown;
  try {
    raw = parseYaml(yamlText);
  } catch (cause) {
    throw new DocumentError(file, `front-matter is not valid YAML: ${(cause as Error).message}`, { cause });
  }
  if (typeof raw !== 'object' || raw === null) throw new DocumentError(file, 'front-matter is not a mapping');
  if (body.trim().length < 50) throw new DocumentError(file, 'the body is empty or too short to index');
  const contentHash = createHash('sha256').update(source).digest('hex');
  const docType = (raw as { doc_type?: unknown }).doc_type;
  if (docType === 'past_defect') {
    const result = PastDefectFrontMatter.safeParse(raw);
    if (!result.success) throw new DocumentError(file, describeIssues(result.error), { cause: result.error });
    return { kind: 'past_defect', file, contentHash, metadata: result.data, body };
  }
  if (docType === 'sop') {
    const result = SopFrontMatter.safeParse(raw);
    if (!result.success) throw new DocumentError(file, describeIssues(result.error), { cause: result.error });
    return { kind: 'sop', file, contentHash, metadata: result.data, body };
  }
  throw new DocumentError(file, `doc_type must be "past_defect" or "sop", got ${JSON.stringify(docType)}`);
}
