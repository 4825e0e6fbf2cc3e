import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, screenshot, SCREENSHOTS, seriousViolations } from './browser.ts';
import { startConsoleServer, type ConsoleServer } from './console-server.ts';
import { bladePhoto } from './photo.ts';

const PHOTO = bladePhoto();

let server: ConsoleServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
/** Console errors (a CSP violation among them) and uncaught page errors. */
const pageErrors: string[] = [];
let analysedId = '';

async function expectAccessible(): Promise<void> {
  expect(await seriousViolations(page)).toEqual([]);
}

beforeAll(async () => {
  server = await startConsoleServer();
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
  page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
  page.on('pageerror', (error) => pageErrors.push(error.message));
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the web console', () => {
  it('is served at / with a strict CSP and no inline script', async () => {
    const response = await fetch(`${server.baseUrl}/`);
    expect(response.status).toBe(200);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(await response.text()).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });

  it('submits a report with a photo and shows the analysis streaming stage by stage', async () => {
    await page.goto(`${server.baseUrl}/#/`);
    await page.fill(
      '#description',
      'Orange rust spots near the bolster on 5 of 60 WK-KN-200 chef knives after vacuum quench',
    );
    await page.selectOption('#sku', 'WK-KN-200');
    await page.selectOption('#facility', 'yangjiang');
    await page.fill('#batch', 'YJ-2612-002');
    await page.fill('#m-hardness_hrc', '52');
    await page.fill('#m-salt_spray_hours', '280');
    await page.getByText('Out of specification').first().waitFor();
    await page
      .locator('input[type=file]')
      .first()
      .setInputFiles({ name: 'blade.png', mimeType: 'image/png', buffer: PHOTO });
    await page.locator('img.preview').waitFor();
    await expectAccessible();
    await screenshot(page, '01-new-report');

    const seen = new Set<string>();
    await page.exposeFunction('recordStage', (text: string) => seen.add(text));
    await page.click('button[type=submit]');
    const open = page.getByRole('link', { name: 'Open the analysis' });
    await open.waitFor({ timeout: 30_000 });
    for (const stage of ['classification', 'root_cause', 'actions']) {
      expect(await page.locator(`[data-stage=${stage}] .stage-state`).textContent()).toBe('done');
    }
    await page.getByText('Analysis complete').waitFor();
    await expectAccessible();
    await screenshot(page, '02-new-report-streamed');
    const href = (await open.getAttribute('href')) ?? '';
    analysedId = href.split('/').pop() ?? '';
    expect(analysedId).toMatch(/^DEF-\d{8}-[0-9A-F]{8}$/);
  });

  it('says what happened when the API refuses the report', async () => {
    await page.goto(`${server.baseUrl}/#/history`);
    await page.goto(`${server.baseUrl}/#/`);
    await page.fill('#description', 'x'.repeat(10));
    await page.fill('#m-hardness_hrc', '500');
    await page.click('button[type=submit]');
    const alert = page.getByRole('alert').filter({ hasText: 'HTTP 400' });
    await alert.waitFor();
    expect(await alert.textContent()).toContain('Request id');
  });

  it('opens the analysis: classification, 5-why with cited passages, fishbone, CAPA; in under a second', async () => {
    const started = performance.now();
    await page.goto(`${server.baseUrl}/#/analyses/${analysedId}`);
    await page.getByRole('heading', { name: 'Corrective actions (CAPA)' }).waitFor();
    const renderMs = performance.now() - started;
    expect(renderMs).toBeLessThan(1000);
    await page.getByRole('heading', { name: '5-why chain' }).waitFor();
    await page.getByRole('heading', { name: 'Fishbone (6M)' }).waitFor();
    expect(await page.locator('table tbody tr').count()).toBeGreaterThan(0);
    await page.locator('.photo-card img').waitFor();
    await expectAccessible();
    await screenshot(page, '03-analysis');
    await screenshot(page, '03-analysis-full', true);
    await page
      .getByRole('region', { name: 'Fishbone (6M)' })
      .screenshot({ path: `${SCREENSHOTS}03-fishbone.png` });

    await page.locator('.five-why button.chip:not([disabled])').first().click();
    const dialog = page.locator('dialog.citation-dialog');
    await dialog.waitFor();
    expect((await dialog.locator('.excerpt').textContent())?.length ?? 0).toBeGreaterThan(20);
    await expectAccessible();
    await screenshot(page, '04-analysis-citation');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
  });

  it('asks a follow-up question and keeps the conversation', async () => {
    await page.fill('#question', 'Why did this happen?');
    await page.getByRole('button', { name: 'Ask', exact: true }).click();
    await page.locator('.bubble-answer').first().waitFor();
    await page.reload();
    await page.locator('.bubble-answer').first().waitFor();
    expect(await page.locator('.bubble-question').first().textContent()).toContain('Why did this happen?');
    await page.locator('.chat').scrollIntoViewIfNeeded();
    await screenshot(page, '05-follow-up');
  });

  it('filters the history and opens an analysis from it', async () => {
    await page.goto(`${server.baseUrl}/#/history`);
    await page.locator('table.history tbody tr').first().waitFor();
    expect(await page.locator('table.history tbody tr').count()).toBe(5);
    await page.selectOption('#filter-facility', 'shenzhen');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect.poll(() => page.locator('table.history tbody tr').count()).toBe(2);
    const facilities = await page.locator('table.history tbody tr td:nth-child(5)').allTextContents();
    expect(facilities).toEqual(['Shenzhen', 'Shenzhen']);
    expect(page.url()).toContain('facility=shenzhen');
    await expectAccessible();
    await screenshot(page, '06-history');
    await page.locator('table.history tbody tr a').first().click();
    await page.getByRole('heading', { name: 'Classification' }).waitFor();
    expect(page.url()).toContain(`#/analyses/${server.seeded[2]}`);
  });

  it('reviews an analysis: confirms it, moves an action, shows a 412 plainly, keeps the audit trail', async () => {
    await page.goto(`${server.baseUrl}/#/analyses/${analysedId}/review`);
    await page.getByRole('heading', { name: 'Audit trail' }).waitFor();
    await page.fill('#reviewer', 'Li Wei');
    await page.fill('#review-reason', 'Matches the salt-spray result of the lot');
    await page.getByRole('button', { name: 'Confirm', exact: true }).click();
    await page.getByText('Saved.').waitFor();
    await page.getByText('Review state: Confirmed').waitFor();

    await page.selectOption('#status-A1', 'done');
    await page.locator('#status-A1').locator('xpath=../..').getByRole('button', { name: 'Apply' }).click();
    await page.locator('.action-status').first().locator('.badge', { hasText: 'Done' }).waitFor();
    // The audit trail is fetched again after the change: wait for its new row, not the first paint.
    await expect.poll(() => page.locator('table.audit tbody tr').count()).toBe(2);

    // Someone else changes the analysis meanwhile: the console's ETag is stale.
    const current = await fetch(`${server.baseUrl}/api/v1/analyses/${analysedId}`);
    const changed = await fetch(`${server.baseUrl}/api/v1/analyses/${analysedId}/actions/A2`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', 'if-match': current.headers.get('etag') ?? '' },
      body: JSON.stringify({ status: 'in_progress', reviewer: 'Chen Jing' }),
    });
    expect(changed.status).toBe(200);
    await page.selectOption('#status-A1', 'verified');
    await page.fill('#evidence-A1', 'Salt spray 1000 h passed on 5 blades');
    await page.locator('#status-A1').locator('xpath=../..').getByRole('button', { name: 'Apply' }).click();
    await page.getByText('Someone changed this analysis since you opened it').waitFor();
    await expect.poll(() => page.locator('table.audit tbody tr').count()).toBe(3);
    await expectAccessible();
    await page.evaluate('window.scrollTo(0, 0)');
    await screenshot(page, '07-review');
    await screenshot(page, '07-review-full', true);

    await page.getByRole('button', { name: 'Apply' }).first().isVisible();
    await page.selectOption('#status-A1', 'verified');
    await page.fill('#evidence-A1', 'Salt spray 1000 h passed on 5 blades');
    await page.locator('#status-A1').locator('xpath=../..').getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => page.locator('table.audit tbody tr').count()).toBe(4);
  });

  it('shows the dashboard', async () => {
    await page.goto(`${server.baseUrl}/#/dashboard`);
    await page.locator('canvas').first().waitFor();
    await page.getByText('Analyses per day (last 30 days)').waitFor();
    expect(await page.locator('.tile-value').first().textContent()).toBe('5');
    await page.waitForTimeout(300);
    await expectAccessible();
    await screenshot(page, '08-dashboard', true);
  });

  it('searches the knowledge base with filters', async () => {
    await page.goto(`${server.baseUrl}/#/knowledge`);
    await page.fill('#knowledge-q', 'rust after vacuum quench');
    await page.selectOption('#knowledge-doc_type', 'sop');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.locator('.passage').first().waitFor();
    const kinds = await page.locator('.passage .badge').allTextContents();
    expect(new Set(kinds)).toEqual(new Set(['SOP']));
    await expectAccessible();
    await screenshot(page, '09-knowledge');
  });

  it('switches the language to Chinese', async () => {
    await page.goto(`${server.baseUrl}/#/analyses/${analysedId}`);
    await page.getByRole('heading', { name: 'Classification' }).waitFor();
    await page.selectOption('select[aria-label=Language]', 'zh');
    await page.getByRole('link', { name: '新报告' }).waitFor();
    await page.getByRole('heading', { name: '分类' }).waitFor();
    expect(await page.evaluate('document.documentElement.lang')).toBe('zh-CN');
    await expectAccessible();
    await screenshot(page, '10-analysis-chinese');
    await page.reload();
    await page.getByRole('link', { name: '新报告' }).waitFor();
    await page.selectOption('select[aria-label=语言]', 'en');
  });

  it('is usable on a tablet and with the keyboard alone', async () => {
    const tablet = await browser.newPage({
      viewport: { width: 820, height: 1180 },
      hasTouch: true,
      isMobile: true,
    });
    await tablet.goto(`${server.baseUrl}/#/analyses/${analysedId}`);
    await tablet.getByRole('heading', { name: 'Fishbone (6M)' }).waitFor();
    const overflow = await tablet.evaluate(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await tablet.screenshot({ path: `${SCREENSHOTS}11-analysis-tablet.png` });
    await tablet.close();

    await page.goto(`${server.baseUrl}/#/`);
    await page.locator('#description').waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.outerHTML')).toContain('Skip to content');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.id')).toBe('description');
  });

  it('raised no console error and no CSP violation', () => {
    // The refused report (400) and the stale write (412) are failures the tests provoke.
    const provoked = /status of (400|412) /;
    expect(pageErrors.filter((text) => !provoked.test(text))).toEqual([]);
  });
});
