import { mkdirSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { temporaryDirectory } from './testing/harness.ts';
import { WEB_CONSOLE_CSP, webConsoleRoutes } from './web-console.ts';

const cleanups: (() => void)[] = [];

afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

async function serve(directory: string): Promise<string> {
  const app = express();
  app.use(webConsoleRoutes(directory));
  app.use((_request, response) => {
    response.status(404).json({ error: { code: 'not_found' } });
  });
  const server: Server = app.listen(0);
  await new Promise<void>((resolve) => server.once('listening', resolve));
  cleanups.push(() => server.close());
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('webConsoleRoutes', () => {
  it('serves the built console at / with its CSP, index.html never cached, hashed assets for a year', async () => {
    const { directory, remove } = temporaryDirectory('rca-console-');
    cleanups.push(remove);
    mkdirSync(path.join(directory, 'assets'));
    writeFileSync(
      path.join(directory, 'index.html'),
      '<!doctype html><script type="module" src="/assets/index-1.js"></script>',
    );
    writeFileSync(path.join(directory, 'assets', 'index-1.js'), 'console.log(1)');
    const base = await serve(directory);

    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(WEB_CONSOLE_CSP);
    expect(page.headers.get('cache-control')).toBe('no-cache');
    const asset = await fetch(`${base}/assets/index-1.js`);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await fetch(`${base}/assets/missing.js`)).status).toBe(404);
    expect(WEB_CONSOLE_CSP).not.toContain('unsafe');
  });

  it('serves nothing when the console is not built', async () => {
    const { directory, remove } = temporaryDirectory('rca-console-');
    cleanups.push(remove);
    expect((await fetch(`${await serve(directory)}/`)).status).toBe(404);
  });
});
