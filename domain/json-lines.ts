import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { ValidationError } from './errors.ts';

/**
 * Reads a JSONL file, each non-empty line parsed and validated with a schema. A bad line is a
 * ValidationError naming the file and the line.
 */
export async function readJsonLines<Schema extends z.ZodType>(
  file: string,
  schema: Schema,
): Promise<Array<z.output<Schema>>> {
  const records: Array<z.output<Schema>> = [];
  const lines = (await readFile(file, 'utf8')).split('\n');
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '') continue;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch (cause) {
      throw new ValidationError(`${file}:${index + 1}: not valid JSON`, { cause });
    }
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      throw new ValidationError(
        `${file}:${index + 1}: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`,
        { cause: parsed.error },
      );
    }
    records.push(parsed.data);
  }
  return records;
}
