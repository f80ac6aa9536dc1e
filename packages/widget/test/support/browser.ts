// The one browser helper for the repository's tests: Debian's chromium through playwright-core (never a
// downloaded browser), a fresh context per test, console errors and CSP violations collected, and a
// screenshot in test-results/ when a test fails.
import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
  });
}

export interface PageRecord {
  cspViolations: string[];
  consoleErrors: string[];
}

/**
 * Runs `fn` with a new page; saves a screenshot named after the test when it throws.
 * @example await withPage(browser, t, async (page, rec) => { await page.goto(url); assert.deepEqual(rec.cspViolations, []); });
 */
export async function withPage(browser: Browser, t: { name: string }, fn: (page: Page, rec: PageRecord) => Promise<void>, options: BrowserContextOptions = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const rec: PageRecord = { cspViolations: [], consoleErrors: [] };
  await page.exposeFunction('__ghCsp', (v: string) => rec.cspViolations.push(v));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => (window as any).__ghCsp(`${e.violatedDirective} ${e.blockedURI}`));
  });
  page.on('console', (m) => { if (m.type() === 'error') rec.consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => rec.consoleErrors.push(e.message));
  try {
    await fn(page, rec);
  } catch (e) {
    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: `test-results/${t.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 120)}.png`, fullPage: true }).catch(() => {});
    throw e;
  } finally {
    await context.close();
  }
}
