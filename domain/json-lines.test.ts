import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ValidationError } from './errors.ts';
import { readJsonLines } from './json-lines.ts';

describe('readJsonLines', () => {
  const directory = mkdtempSync(path.join(tmpdir(), 'json-lines-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));
  const schema = z.object({ id: z.string(), count: z.number().int() });
  const write = (name: string, text: string): string => {
    const file = path.join(directory, name);
    writeFileSync(file, text);
    return file;
  };

  it('reads every non-empty line through the schema', async () => {
    const file = write('good.jsonl', '{"id":"a","count":1}\n\n{"id":"b","count":2}\n');
    expect(await readJsonLines(file, schema)).toEqual([
      { id: 'a', count: 1 },
      { id: 'b', count: 2 },
    ]);
  });

  it('names the file and line of a line that is not JSON or does not match', async () => {
    const notJson = write('broken.jsonl', '{"id":"a","count":1}\n{oops\n');
    await expect(readJsonLines(notJson, schema)).rejects.toThrow(
      new RegExp(`broken\\.jsonl:2: not valid JSON`),
    );
    const wrong = write('wrong.jsonl', '{"id":"a","count":1.5}\n');
    const error = await readJsonLines(wrong, schema).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).message).toMatch(/wrong\.jsonl:1: count:/);
  });
});
