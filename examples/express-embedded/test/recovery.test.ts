// Password recovery through the sample app in Chromium, with a real Gatehouse and a real SMTP server on loopback:
// the sign-in page shows "Forgot password?", the mailed code and a new password land the user on /profile; the
// magic link opened in another tab reaches the app's email-verify callback, which shows the code to enter where the
// flow started; an admin reset's link (`gatehouse user reset-password`) opens the widget at the new password.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, withPage } from '../../../packages/widget/test/support/browser.js';
import { startServer, type TestServer } from '../../../packages/server/test/support/start-server.js';
import { codeOf, linkOf, startSmtp, type TestSmtp } from '../../../packages/server/test/support/smtp.js';
import { runCli } from '../../../packages/server/test/support/cli.js';
import { startExample, EMAIL_VERIFY_PATH } from '../src/main.js';
import type { ExampleConfig } from '../src/app.js';

let gh: TestServer;
let smtp: TestSmtp;
let browser: Browser;
let dir: string;
let cfg: ExampleConfig;
let clientId: string;
let example: Awaited<ReturnType<typeof startExample>>;

const freePort = () => new Promise<number>((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => { const p = (s.address() as any).port; s.close(() => resolve(p)); });
});

before(async () => {
  smtp = await startSmtp();
  gh = await startServer({ config: { smtpUrl: smtp.url } });
  dir = mkdtempSync(join(tmpdir(), 'example-recovery-'));
  const port = await freePort();
  const origin = `http://localhost:${port}`;
  const app = await gh.createApp({
    name: 'Example', redirectUris: [`${origin}/interactioncode/callback`], postLogoutRedirectUris: [`${origin}/`], trustedOrigins: [origin],
    emailVerifyUri: `${origin}${EMAIL_VERIFY_PATH}`,
  });
  clientId = app.clientId;
  cfg = { issuer: gh.issuer, clientId: app.clientId, clientSecret: app.clientSecret, baseUrl: origin, sessionDb: join(dir, 'sessions.db'), sessionSecret: 'example-test-session-secret-0123456789' };
  example = await startExample(cfg, port);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await example?.close();
  await gh?.close();
  await smtp?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Sign in page → Forgot password? → the username → (the email choice when offered) → the code view. */
async function toCode(p: Page, email: string) {
  await p.goto(cfg.baseUrl + '/');
  await p.getByRole('link', { name: 'Sign in' }).click();
  await p.getByRole('button', { name: 'Forgot password?' }).click();
  await p.getByRole('heading', { name: 'Reset your password' }).waitFor();
  await p.getByLabel('Username').fill(email);
  await p.getByRole('button', { name: 'Next' }).click();
  const code = p.getByLabel('Enter code');
  const choice = p.getByRole('radio', { name: 'Email' });
  await code.or(choice).first().waitFor();
  if (await choice.isVisible()) await p.getByRole('button', { name: 'Next' }).click();
  await p.getByRole('heading', { name: 'Verify with your email' }).waitFor();
  return code;
}

async function newPasswordToProfile(p: Page, password: string) {
  await p.getByLabel('New password', { exact: true }).fill(password);
  await p.getByLabel('Re-enter password').fill(password);
  await Promise.all([p.waitForURL(`${cfg.baseUrl}/profile`), p.getByRole('button', { name: 'Reset password' }).click()]);
}

test('the sign-in page shows Forgot password?; the mailed code and a new password sign the user in to /profile', async (t) => {
  await gh.createUser({ email: 'grace@example.com', password: 'the-old-password-1', firstName: 'Grace', lastName: 'Hopper' });
  await withPage(browser, t, async (p, rec) => {
    const code = await toCode(p, 'grace@example.com');
    await code.fill(codeOf(await smtp.nextMessage('grace@example.com')));
    await p.getByRole('button', { name: 'Verify' }).click();
    await newPasswordToProfile(p, 'a-new-password-for-g1');
    assert.equal(await p.getByRole('heading', { level: 1 }).textContent(), 'Grace Hopper');
    assert.deepEqual(rec.cspViolations, []);
  });
});

test("the magic link opened in another tab reaches the app's email-verify callback, which shows the code; typed where the flow started, it finishes there", async (t) => {
  await gh.createUser({ email: 'linus@example.com', password: 'the-old-password-1', firstName: 'Linus', lastName: 'Link' });
  await withPage(browser, t, async (p) => {
    const code = await toCode(p, 'linus@example.com');
    const mail = await smtp.nextMessage('linus@example.com');
    const link = new URL(linkOf(mail));
    assert.equal(link.origin + link.pathname, cfg.baseUrl + EMAIL_VERIFY_PATH);
    assert.ok(link.searchParams.get('state'));
    assert.equal(link.searchParams.get('otp'), codeOf(mail));
    const other = await p.context().newPage();
    await other.goto(link.href);
    const shown = (await other.locator('#otp').textContent())!.trim();
    assert.equal(shown, codeOf(mail));
    await other.close();
    await code.fill(shown);
    await p.getByRole('button', { name: 'Verify' }).click();
    await newPasswordToProfile(p, 'a-new-password-for-l2');
  });
});

test("an admin reset's mailed link opens the widget at the new password, which signs the user in; the link's token works once", async (t) => {
  await gh.createUser({ email: 'ada-reset@example.com', password: 'the-old-password-1', firstName: 'Ada', lastName: 'Reset' });
  const cli = await runCli(['user', 'reset-password', '--email', 'ada-reset@example.com', '--client-id', clientId, '--db', `sqlite:${gh.dbPath}`],
    { GATEHOUSE_SECRET: 'test-secret-test-secret-test-secret-0123', GATEHOUSE_SMTP_URL: smtp.url });
  assert.equal(cli.status, 0, cli.stderr);
  const link = new URL(linkOf(await smtp.nextMessage('ada-reset@example.com')));
  assert.equal(link.origin + link.pathname, cfg.baseUrl + EMAIL_VERIFY_PATH);
  assert.ok(link.searchParams.get('recovery_token'));
  await withPage(browser, t, async (p) => {
    await p.goto(link.href);
    await p.getByRole('heading', { name: 'Reset your password' }).waitFor();
    await newPasswordToProfile(p, 'chosen-by-ada-after-3');
    assert.equal(await p.getByRole('heading', { level: 1 }).textContent(), 'Ada Reset');
  });
  await withPage(browser, { name: `${'admin reset link used twice'}` }, async (p) => {
    await p.goto(link.href);
    await p.locator('.gh-widget [role=alert], .gh-widget .gh-alert').first().waitFor();
    assert.equal(new URL(p.url()).pathname, EMAIL_VERIFY_PATH, 'nobody is signed in');
  });
});

test('the email-verify callback refuses a link without a token or a code', async () => {
  const r = await fetch(`${cfg.baseUrl}${EMAIL_VERIFY_PATH}?otp=<b>1</b>&state=x`);
  assert.equal(r.status, 400);
  assert.doesNotMatch(await r.text(), /<b>1<\/b>/);
});
