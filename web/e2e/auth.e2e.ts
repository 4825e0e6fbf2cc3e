import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { createApiKey } from '../../api/auth/api-keys.ts';
import { launchBrowser, screenshot, seriousViolations } from './browser.ts';
import { startConsoleServer, type ConsoleServer } from './console-server.ts';

let server: ConsoleServer;
let browser: Browser;
let key = '';

beforeAll(async () => {
  server = await startConsoleServer({ auth: 'required' });
  ({ key } = await createApiKey({
    store: server.store,
    name: 'inspector',
    facility: null,
    now: () => new Date(),
  }));
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the web console with AUTH=required', () => {
  it('asks for the API key once and keeps it for the browser session only', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/#/history`);
    const dialog = page.getByRole('dialog', { name: 'API key' });
    await dialog.waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, '12-api-key');
    await page.fill('#api-key', key);
    await page.getByRole('button', { name: 'Use this key' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByText('No analyses match these filters.').waitFor();
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(await page.evaluate('sessionStorage.getItem("rca.apiKey")')).toBe(key);
    expect(await page.evaluate('localStorage.getItem("rca.apiKey")')).toBeNull();

    await page.goto(`${server.baseUrl}/#/knowledge?q=rust`);
    await page.locator('.passage').first().waitFor();
    expect(await dialog.isVisible()).toBe(false);
    await context.close();
  });
});
