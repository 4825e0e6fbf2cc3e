import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NotFoundError, ValidationError } from '../../domain/index.ts';
import { verifyApiKey } from '../auth/api-keys.ts';
import type { AnalysisStore } from '../persistence/analysis-store.ts';
import { openSqliteStore } from '../persistence/sqlite/sqlite-store.ts';
import { runKeysCommand } from './keys.ts';

describe('keys command', () => {
  let store: AnalysisStore;
  let lines: string[];
  const run = (command: string, ...args: string[]) =>
    runKeysCommand({
      command,
      args,
      store,
      output: { log: (line) => lines.push(line) },
      now: () => new Date('2026-11-22T08:00:00Z'),
    });

  beforeEach(async () => {
    store = await openSqliteStore({ url: ':memory:' });
    lines = [];
  });

  afterEach(async () => {
    await store.close();
  });

  it('creates a read-only facility key whose secret appears once, lists it without the secret and revokes it', async () => {
    expect(await run('create', '--name', 'line 3 auditor', '--facility', 'shenzhen', '--read-only')).toBe(0);
    const key = lines.map((line) => line.trim()).find((line) => line.startsWith('rca_')) ?? '';
    expect(lines[0]).toMatch(/scoped to shenzhen \(read-only\)/);
    const principal = await verifyApiKey({ store, key });
    expect(principal).toMatchObject({
      name: 'line 3 auditor',
      facility: 'shenzhen',
      readOnly: true,
      evaluation: false,
    });

    lines = [];
    expect(await run('list')).toBe(0);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('line 3 auditor\tshenzhen\tread-only\t2026-11-22T08:00:00.000Z\t-');
    const secret = /^rca_[a-z0-9]{12}_(.+)$/.exec(key)?.[1] ?? '';
    expect(secret.length).toBeGreaterThan(30);
    expect(lines.join('\n')).not.toContain(secret);

    const id = principal?.keyId ?? '';
    lines = [];
    expect(await run('revoke', '--id', id)).toBe(0);
    expect(lines[0]).toBe(`Revoked API key ${id} "line 3 auditor" at 2026-11-22T08:00:00.000Z.`);
    expect(await verifyApiKey({ store, key })).toBeNull();
    expect((await store.listAudit({ limit: 5 })).map((entry) => entry.action)).toEqual([
      'api_key.revoked',
      'api_key.created',
    ]);
  });

  it('creates an evaluation key', async () => {
    await run('create', '--name', 'nightly evals', '--evaluation');
    const key = lines.map((line) => line.trim()).find((line) => line.startsWith('rca_')) ?? '';
    expect(await verifyApiKey({ store, key })).toMatchObject({
      evaluation: true,
      readOnly: false,
      facility: null,
    });
  });

  it('refuses bad arguments with a message naming the option', async () => {
    await expect(run('create', '--name', 'x')).rejects.toThrow(ValidationError);
    await expect(run('create', '--name', 'ok name', '--facility', 'paris')).rejects.toThrow(
      /--facility must be one of/,
    );
    await expect(run('revoke')).rejects.toThrow(/--id is required/);
    await expect(run('revoke', '--id', 'nosuchkey000')).rejects.toThrow(NotFoundError);
    expect(await run('rotate')).toBe(2);
    expect(await run('list')).toBe(0);
    expect(lines.at(-1)).toMatch(/No API keys yet/);
  });
});
