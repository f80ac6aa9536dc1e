// Our widget through password recovery in Chromium against a real Gatehouse with a real SMTP server on
// loopback: Forgot password? → username → email → the code read from the mail → a new password with the
// policy's rules ticked as the user types → the app's redirect URI with interaction_code and state, redeemed.
// Also: Send again mails a new code, a wrong code is a message inside the code field, axe is clean on each view.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, withPage, type PageRecord } from './support/browser.js';
import { startServer, type TestServer } from '../../server/test/support/start-server.js';
import { startAppPage, type AppPage } from '../../server/test/support/app-page.js';
import { pkce, token } from '../../server/test/support/idx-client.js';
import { codeOf, startSmtp, type TestSmtp } from '../../server/test/support/smtp.js';

const require = createRequire(import.meta.url);
const axe = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
let gh: TestServer;
let smtp: TestSmtp;
let app: AppPage;
let browser: Browser;
let web: { clientId: string; clientSecret?: string };
let manifest: { files: Record<string, { path: string; integrity: string }> };

before(async () => {
  smtp = await startSmtp();
  gh = await startServer({ config: { smtpUrl: smtp.url } });
  app = await startAppPage('localhost');
  web = await gh.createApp({ name: 'Recovery app', redirectUris: [app.callbackUrl], trustedOrigins: [app.origin] });
  manifest = await (await fetch(`${gh.baseUrl}/widget/manifest.json`)).json();
  app.setPage('/start.js', `new GatehouseSignIn(JSON.parse(document.getElementById('cfg').textContent)).showSignInAndRedirect({ el: '#sign-in' });`);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await app?.close();
  await gh?.close();
  await smtp?.close();
});

function embedded() {
  const { verifier, challenge } = pkce();
  const state = 'st-' + Math.random().toString(36).slice(2);
  const js = manifest.files['gatehouse-signin.js']!;
  const css = manifest.files['gatehouse-signin.css']!;
  const csp = `default-src 'none'; script-src 'self' ${gh.baseUrl}; style-src 'self' ${gh.baseUrl}; connect-src ${gh.baseUrl}; img-src 'self'; base-uri 'none'; form-action 'none'`;
  const cfg = { issuer: gh.issuer, clientId: web.clientId, redirectUri: app.callbackUrl, scopes: ['openid', 'profile', 'email'], state, codeChallenge: challenge, codeChallengeMethod: 'S256' };
  app.setPage('/', `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>App</title>
<link rel="stylesheet" href="${gh.baseUrl}${css.path}" integrity="${css.integrity}" crossorigin="anonymous">
<script src="${gh.baseUrl}${js.path}" integrity="${js.integrity}" crossorigin="anonymous"></script></head>
<body><main><div id="sign-in"></div></main>
<script type="application/json" id="cfg">${JSON.stringify(cfg).replace(/</g, '\\u003c')}</script><script src="/start.js"></script></body></html>`,
  { 'Content-Security-Policy': csp });
  return { verifier, state };
}

/** axe on the widget; the styles axe itself injects are not the widget's CSP violations, so they are dropped. */
async function axeClean(p: Page, rec: PageRecord, where: string) {
  const n = rec.cspViolations.length;
  await p.evaluate(axe);
  const v = await p.evaluate(async () => (await (window as any).axe.run('.gh-widget')).violations.map((x: any) => `${x.id}: ${x.nodes.map((n: any) => n.target).join(' ')}`));
  assert.deepEqual(v, [], where);
  await p.waitForTimeout(50);
  rec.cspViolations.splice(n);
}

/** From the sign-in page to the code view: Forgot password?, the username, and the email choice when offered. */
async function toCode(p: Page, rec: PageRecord, email: string, start = app.origin + '/') {
  await p.goto(start);
  await p.getByRole('heading', { name: 'Sign In', exact: true }).waitFor();
  await axeClean(p, rec, 'sign-in');
  await p.getByRole('button', { name: 'Forgot password?' }).click();
  await p.getByRole('heading', { name: 'Reset your password' }).waitFor();
  await axeClean(p, rec, 'identify-recovery');
  await p.getByLabel('Username').fill(email);
  await p.getByRole('button', { name: 'Next' }).click();
  // The server may ask which authenticator (the choices: Email) or confirm the method before it sends.
  const code = p.getByLabel('Enter code');
  const choice = p.getByRole('radio', { name: 'Email' });
  const send = p.getByRole('button', { name: 'Send me an email' });
  await code.or(choice).or(send).first().waitFor();
  if (await choice.isVisible()) {
    await axeClean(p, rec, 'select-authenticator-authenticate');
    await p.getByRole('button', { name: 'Next' }).click();
    await code.or(send).first().waitFor();
  }
  if (await send.isVisible()) {
    await axeClean(p, rec, 'authenticator-verification-data');
    await send.click();
  }
  await p.getByRole('heading', { name: 'Verify with your email' }).waitFor();
  return code;
}

test('recovery in our widget: Forgot password? → username → the mailed code → new password with live rules → interaction_code and state', async (t) => {
  await gh.createUser({ email: 'recover@example.com', password: 'the-old-password-1' });
  const { verifier, state } = embedded();
  await withPage(browser, t, async (p, rec) => {
    const code = await toCode(p, rec, 'recover@example.com');
    assert.equal(await code.getAttribute('autocomplete'), 'one-time-code');
    assert.equal(await code.getAttribute('inputmode'), 'numeric');
    assert.match((await p.locator('.gh-sub').textContent())!, /r\*+r@example\.com/);
    await p.getByRole('button', { name: 'Send again' }).waitFor();
    await axeClean(p, rec, 'email challenge');
    await code.fill(codeOf(await smtp.nextMessage('recover@example.com')));
    await p.getByRole('button', { name: 'Verify' }).click();

    await p.getByRole('button', { name: 'Reset password' }).waitFor();
    await p.getByRole('heading', { name: 'Reset your password' }).waitFor();
    const pw = p.getByLabel('New password', { exact: true });
    assert.equal(await pw.getAttribute('autocomplete'), 'new-password');
    const rules = p.locator('.gh-rules li');
    assert.ok((await rules.count()) >= 1, 'the policy rules are listed');
    assert.equal(await p.locator('.gh-rules li.gh-met').count(), 0);
    await axeClean(p, rec, 'reset-authenticator');
    await pw.pressSequentially('a-new-password-2');
    assert.equal(await p.locator('.gh-rules li.gh-met').count(), await rules.count(), 'every rule ticked');
    await p.getByLabel('Re-enter password').fill('a-new-password-2');
    await p.getByLabel('Sign me out of all other devices').check();
    await Promise.all([p.waitForURL(/\/interactioncode\/callback\?/), p.getByRole('button', { name: 'Reset password' }).click()]);
    const url = new URL(p.url());
    assert.equal(url.searchParams.get('state'), state);
    const r = await token(gh, { grant_type: 'interaction_code', interaction_code: url.searchParams.get('interaction_code')!, code_verifier: verifier }, web);
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.deepEqual(rec.cspViolations, []);
  });
});

test('recovery in our widget: Send again mails a new code; a wrong code is a message inside the code field', async (t) => {
  await gh.createUser({ email: 'resend@example.com', password: 'the-old-password-1' });
  embedded();
  await withPage(browser, t, async (p, rec) => {
    const code = await toCode(p, rec, 'resend@example.com');
    const first = codeOf(await smtp.nextMessage('resend@example.com'));
    await p.getByRole('button', { name: 'Send again' }).click();
    await p.locator('.gh-alert[role=status]').filter({ hasText: 'We sent you a new email.' }).waitFor();
    const second = codeOf(await smtp.nextMessage('resend@example.com'));
    const wrong = first === second ? String((Number(second) + 1) % 1_000_000).padStart(6, '0') : first;
    await code.fill(wrong);
    await p.getByRole('button', { name: 'Verify' }).click();
    await p.locator('.gh-field-error:not([hidden])').waitFor();
    assert.equal(await code.getAttribute('aria-invalid'), 'true');
    assert.equal(await p.locator(`[id="${await code.getAttribute('aria-describedby')}"]`).isVisible(), true, 'the message is inside the field');
    assert.equal(await p.evaluate(() => document.activeElement?.getAttribute('name')), 'credentials.passcode');
    await axeClean(p, rec, 'wrong code');
    await code.fill(second);
    await p.getByRole('button', { name: 'Verify' }).click();
    await p.getByLabel('New password', { exact: true }).waitFor();
  });
});

test('recovery on the hosted sign-in page (v1/authorize): the same views, ending in the authorization code redirect', async (t) => {
  await gh.createUser({ email: 'hosted@example.com', password: 'the-old-password-1' });
  const { verifier, challenge } = pkce();
  const url = new URL(`${gh.issuer}/v1/authorize`);
  for (const [k, v] of Object.entries({ client_id: web.clientId, redirect_uri: app.callbackUrl, response_type: 'code', scope: 'openid email', state: 'hs1', code_challenge: challenge, code_challenge_method: 'S256' })) url.searchParams.set(k, v);
  await withPage(browser, t, async (p, rec) => {
    const code = await toCode(p, rec, 'hosted@example.com', url.href);
    await code.fill(codeOf(await smtp.nextMessage('hosted@example.com')));
    await p.getByRole('button', { name: 'Verify' }).click();
    await p.getByLabel('New password', { exact: true }).fill('a-new-password-3');
    await p.getByLabel('Re-enter password').fill('a-new-password-3');
    await Promise.all([p.waitForURL(/\/interactioncode\/callback\?code=/), p.getByRole('button', { name: 'Reset password' }).click()]);
    const back = new URL(p.url());
    assert.equal(back.searchParams.get('state'), 'hs1');
    const r = await token(gh, { grant_type: 'authorization_code', code: back.searchParams.get('code')!, code_verifier: verifier, redirect_uri: app.callbackUrl }, web);
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.deepEqual(rec.cspViolations, []);
  });
});
