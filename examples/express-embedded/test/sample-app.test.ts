// The seed's sample app end to end in Chromium: sign in through the widget with a real Gatehouse, land on
// /profile with the name from userinfo; errors leave no session; a forged state is refused; the session
// survives a restart of the app; sign-out revokes, clears and ends the Gatehouse session.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, withPage } from '../../../packages/widget/test/support/browser.js';
import { startServer, type TestServer } from '../../../packages/server/test/support/start-server.js';
import { startExample } from '../src/main.js';
import type { ExampleConfig } from '../src/app.js';

const password = 'a-long-password-1';
let gh: TestServer;
let browser: Browser;
let dir: string;
let port: number;
let cfg: ExampleConfig;
let example: Awaited<ReturnType<typeof startExample>>;

const freePort = () => new Promise<number>((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => { const p = (s.address() as any).port; s.close(() => resolve(p)); });
});

before(async () => {
  gh = await startServer();
  dir = mkdtempSync(join(tmpdir(), 'example-'));
  port = await freePort();
  const origin = `http://localhost:${port}`;
  await gh.createUser({ email: 'ada@example.com', password, firstName: 'Ada', lastName: '<b>Lovelace</b>' });
  const app = await gh.createApp({ name: 'Example', redirectUris: [`${origin}/interactioncode/callback`], postLogoutRedirectUris: [`${origin}/`], trustedOrigins: [origin] });
  cfg = { issuer: gh.issuer, clientId: app.clientId, clientSecret: app.clientSecret, baseUrl: origin, sessionDb: join(dir, 'sessions.db'), sessionSecret: 'example-test-session-secret-0123456789' };
  example = await startExample(cfg, port);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await example?.close();
  await gh?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function signIn(p: Page, pass = password) {
  await p.goto(cfg.baseUrl + '/');
  await p.getByRole('link', { name: 'Sign in' }).click();
  await p.getByLabel('Username').fill('ada@example.com');
  await p.getByLabel('Password').fill(pass);
  await p.getByRole('button', { name: 'Sign in', exact: true }).click();
}

test('sign in through the widget with the demo user and land on /profile showing the name from userinfo', async (t) => {
  await withPage(browser, t, async (p, rec) => {
    await signIn(p);
    await p.waitForURL(`${cfg.baseUrl}/profile`);
    assert.equal(await p.getByRole('heading', { level: 1 }).textContent(), 'Ada <b>Lovelace</b>', 'the name is shown as text');
    assert.match(await p.locator('table').textContent() ?? '', /ada@example\.com/);
    assert.deepEqual(rec.cspViolations, []);
    const cookies = await p.context().cookies(cfg.baseUrl);
    const sid = cookies.find((c) => c.name === 'example.sid')!;
    assert.ok(sid.httpOnly);
    assert.equal(sid.sameSite, 'Lax');
  });
});

test('a wrong password shows the error in the widget and leaves no session', async (t) => {
  await withPage(browser, t, async (p) => {
    await signIn(p, 'wrong-password-1');
    await p.locator('.gh-alert').filter({ hasText: 'Unable to sign in' }).waitFor();
    await p.goto(cfg.baseUrl + '/profile');
    assert.equal(new URL(p.url()).pathname, '/signin');
  });
});

test('a forged or replayed state is refused with a clear page and no session', async (t) => {
  await withPage(browser, t, async (p) => {
    await p.goto(cfg.baseUrl + '/signin');
    const res = await p.goto(`${cfg.baseUrl}/interactioncode/callback?state=forged&interaction_code=abc`);
    assert.equal(res!.status(), 400);
    assert.match(await p.locator('#error-detail').textContent() ?? '', /does not belong/);
    await p.goto(cfg.baseUrl + '/profile');
    assert.equal(new URL(p.url()).pathname, '/signin');
  });
});

test('an error carrying HTML is shown escaped; a callback without a code is a clear error', async (t) => {
  await withPage(browser, t, async (p) => {
    await p.goto(cfg.baseUrl + '/signin');
    const state = await p.evaluate(() => JSON.parse(document.getElementById('widget-config')!.textContent!).state);
    await p.goto(`${cfg.baseUrl}/interactioncode/callback?state=${encodeURIComponent(state)}&error=server_error&error_description=${encodeURIComponent('<img src=x onerror="window.__xss=1">')}`);
    assert.match(await p.locator('#error-detail').textContent() ?? '', /<img src=x/);
    assert.equal(await p.evaluate(() => (window as any).__xss), undefined);
    await p.goto(cfg.baseUrl + '/signin');
    const state2 = await p.evaluate(() => JSON.parse(document.getElementById('widget-config')!.textContent!).state);
    const res = await p.goto(`${cfg.baseUrl}/interactioncode/callback?state=${encodeURIComponent(state2)}`);
    assert.equal(res!.status(), 400);
    assert.match(await p.locator('#error-detail').textContent() ?? '', /no interaction code/);
  });
});

test('the session survives a restart of the app; sign-out then /profile asks to sign in again', async (t) => {
  await withPage(browser, t, async (p) => {
    await signIn(p);
    await p.waitForURL(`${cfg.baseUrl}/profile`);
    await example.close();
    example = await startExample(cfg, port);
    await p.goto(cfg.baseUrl + '/profile');
    assert.equal(new URL(p.url()).pathname, '/profile');
    await Promise.all([p.waitForURL(`${cfg.baseUrl}/?state=signed-out`), p.getByRole('button', { name: 'Sign out' }).click()]);
    assert.equal(await p.getByRole('status').textContent(), 'You are signed out.');
    await p.goto(cfg.baseUrl + '/profile');
    assert.equal(new URL(p.url()).pathname, '/signin');
    const events = await gh.gatehouse.deps.store.events.list({ limit: 50, type: 'token.revoke' });
    assert.ok(events.length >= 1, 'sign-out revoked the tokens');
  });
});

test('Cancel returns home with a neutral "Sign-in cancelled."; the sign-in page has one heading and no console errors', async (t) => {
  await withPage(browser, t, async (p, rec) => {
    await p.goto(cfg.baseUrl + '/signin');
    await p.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
    assert.equal(await p.getByRole('heading').count(), 1, "the widget's title is the page's one heading");
    await Promise.all([p.waitForURL(`${cfg.baseUrl}/?notice=cancelled`), p.getByRole('button', { name: 'Cancel' }).click()]);
    assert.equal(await p.getByRole('status').textContent(), 'Sign-in cancelled.');
    assert.equal(await p.getByRole('heading', { level: 1 }).textContent(), 'Gatehouse embedded sign-in');
    assert.deepEqual(rec.consoleErrors, []);
    assert.deepEqual(rec.cspViolations, []);
  });
});

test('the profile shows dates as dates and wraps long values at 375 px', async (t) => {
  await withPage(browser, t, async (p, rec) => {
    await signIn(p);
    await p.waitForURL(`${cfg.baseUrl}/profile`);
    const updated = p.locator('tr', { has: p.locator('th', { hasText: 'updated_at' }) }).locator('time');
    assert.match(await updated.textContent() ?? '', /^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/);
    assert.ok(!Number.isNaN(Date.parse(await updated.getAttribute('datetime') ?? '')));
    assert.ok(await p.evaluate(() => document.documentElement.scrollWidth <= innerWidth), 'no horizontal scrolling');
    // Words break only where a value has no room (overflow-wrap: anywhere), not mid-word everywhere.
    assert.equal(await p.locator('td').first().evaluate((td) => getComputedStyle(td).overflowWrap), 'anywhere');
    assert.deepEqual(rec.consoleErrors, []);
  }, { viewport: { width: 375, height: 740 } });
});
