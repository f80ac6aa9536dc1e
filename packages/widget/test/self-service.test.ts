// Our widget through self-service registration and account unlock (spec §8.1, §8.3) in Chromium against a real
// Gatehouse with a real SMTP server on loopback, driven by the keyboard alone (Tab, typing, Enter), axe clean on
// every view. Sign up → the profile form drawn from the schema (an enum as a select, required marks where optional
// attributes sit beside required ones, server field messages on their fields, input kept) → the mailed code → the
// app's redirect URI with interaction_code and state → tokens whose claims carry the profile. Unlock account? →
// username → the mailed code → "Account successfully unlocked!" → Back to sign in → signed in. With both features
// off, neither link shows.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { decodeJwt } from 'jose';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchBrowser, withPage, type PageRecord } from './support/browser.js';
import { startServer, type TestServer } from '../../server/test/support/start-server.js';
import { startAppPage, type AppPage } from '../../server/test/support/app-page.js';
import { pkce, signInForCode, token } from '../../server/test/support/idx-client.js';
import { codeOf, startSmtp, type TestSmtp } from '../../server/test/support/smtp.js';
import { cliFor } from '../../server/test/support/cli.js';

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
  web = await gh.createApp({ name: 'Self-service app', redirectUris: [app.callbackUrl], trustedOrigins: [app.origin] });
  const cli = cliFor(gh);
  for (const args of [
    ['policy', 'set', '--self-service-registration', 'on', '--self-service-unlock', 'on'],
    ['profile-schema', 'add', '--name', 'department', '--label', 'Department', '--enum', 'Sales,Engineering,Support', '--required'],
    ['profile-schema', 'add', '--name', 'nickname', '--label', 'Nickname', '--max-length', '30'],
  ]) {
    const r = await cli(...args);
    assert.equal(r.status, 0, r.stderr);
  }
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

const focused = (l: Locator) => l.evaluate((el) => el === document.activeElement);

/** Keyboard only: Tab (forward) until `target` has the focus. */
async function tabTo(p: Page, target: Locator) {
  await target.waitFor();
  for (let i = 0; i < 40; i++) {
    if (await focused(target)) return;
    await p.keyboard.press('Tab');
  }
  assert.fail(`Tab never reached ${target}`);
}

/** Tabs to a field, replaces what it holds and types `text`. */
async function typeInto(p: Page, target: Locator, text: string) {
  await tabTo(p, target);
  await p.keyboard.press('Control+A');
  await p.keyboard.type(text);
}

async function press(p: Page, target: Locator) {
  await tabTo(p, target);
  await p.keyboard.press('Enter');
}

test('sign-up in our widget, keyboard only: Sign up → the profile (enum as a select, marks, field messages) → the mailed code → interaction_code → claims with the profile', async (t) => {
  const { verifier, state } = embedded();
  await withPage(browser, t, async (p, rec) => {
    await p.goto(app.origin + '/');
    await p.getByRole('heading', { name: 'Sign In', exact: true }).waitFor();
    await axeClean(p, rec, 'sign-in with self-service links');
    await press(p, p.getByRole('button', { name: 'Sign up' }));

    await p.getByRole('heading', { name: 'Create an account' }).waitFor();
    const email = p.getByLabel('Email');
    assert.equal(await focused(email), true, 'the first field has the focus');
    assert.equal(await email.getAttribute('autocomplete'), 'email');
    assert.equal(await p.getByLabel('First name').getAttribute('autocomplete'), 'given-name');
    // Required attributes are marked (the mark is hidden from assistive technology; the input says required).
    for (const name of ['Email', 'First name', 'Last name', 'Department']) assert.equal(await p.getByLabel(name).getAttribute('required'), '', name);
    assert.equal(await p.getByLabel('Nickname').getAttribute('required'), null);
    assert.equal(await p.locator('label:has-text("Department") .gh-req').count(), 1);
    assert.equal(await p.locator('label:has-text("Nickname") .gh-req').count(), 0);
    await p.getByText('Fields marked * are required.').waitFor();
    const department = p.getByRole('combobox', { name: 'Department' });
    assert.deepEqual(await department.locator('option').allTextContents(), ['Select an option', 'Sales', 'Engineering', 'Support']);
    await axeClean(p, rec, 'enroll-profile');

    // A blank required select is caught before any round trip.
    await typeInto(p, email, 'not-an-email');
    await typeInto(p, p.getByLabel('First name'), 'Grace');
    await typeInto(p, p.getByLabel('Last name'), 'Hopper');
    await press(p, p.getByRole('button', { name: 'Sign up' }));
    assert.equal(await department.getAttribute('aria-invalid'), 'true');
    assert.equal(await focused(department), true);
    await tabTo(p, department);
    await p.keyboard.type('Engineering');
    assert.equal(await department.inputValue(), 'Engineering');
    await typeInto(p, p.getByLabel('Nickname'), 'Amazing Grace');
    await typeInto(p, p.locator('input[name="credentials.passcode"]'), 'a-new-password-9');
    await typeInto(p, p.getByLabel('Re-enter password'), 'a-new-password-9');
    await p.keyboard.press('Enter');

    // The server's field message lands on the email field; the other input is kept.
    await p.locator('.gh-field-error:not([hidden])').first().waitFor();
    assert.equal(await email.getAttribute('aria-invalid'), 'true');
    assert.match(await p.locator(`[id="${(await email.getAttribute('aria-describedby'))!.split(' ')[0]}"]`).innerText(), /./);
    assert.equal(await focused(email), true, 'focus on the field to fix');
    assert.equal(await p.getByLabel('First name').inputValue(), 'Grace');
    assert.equal(await department.inputValue(), 'Engineering');
    await axeClean(p, rec, 'enroll-profile with a field message');
    await typeInto(p, email, 'grace@example.com');
    await typeInto(p, p.locator('input[name="credentials.passcode"]'), 'a-new-password-9');
    await typeInto(p, p.getByLabel('Re-enter password'), 'a-new-password-9');
    await p.keyboard.press('Enter');

    // The email is verified with the mailed code; until then the user is STAGED.
    const code = p.getByLabel('Enter code');
    await code.waitFor();
    assert.equal((await gh.gatehouse.deps.store.users.findByLogin('grace@example.com'))!.status, 'STAGED');
    await p.getByRole('button', { name: 'Send again' }).waitFor();
    assert.match((await p.locator('.gh-sub').textContent())!, /We sent an email to g\*+e@example\.com/, 'where the code went, masked');
    await axeClean(p, rec, 'email verification');
    assert.equal(await focused(code), true);
    await p.keyboard.type(codeOf(await smtp.nextMessage('grace@example.com')));
    await Promise.all([p.waitForURL(/\/interactioncode\/callback\?/), p.keyboard.press('Enter')]);
    const url = new URL(p.url());
    assert.equal(url.searchParams.get('state'), state);
    const r = await token(gh, { grant_type: 'interaction_code', interaction_code: url.searchParams.get('interaction_code')!, code_verifier: verifier }, web);
    assert.equal(r.status, 200, JSON.stringify(r.json));
    const claims = decodeJwt(r.json.id_token);
    assert.equal(claims.email, 'grace@example.com');
    assert.equal(claims.given_name, 'Grace');
    assert.equal(claims.department, 'Engineering');
    assert.equal(claims.nickname, 'Amazing Grace');
    assert.deepEqual(rec.cspViolations, []);
  });
  assert.equal((await gh.gatehouse.deps.store.users.findByLogin('grace@example.com'))!.status, 'ACTIVE');
});

test('unlock in our widget, keyboard only: Unlock account? → username → the mailed code → "Account successfully unlocked!" → Back to sign in → signed in', async (t) => {
  const password = 'the-right-password-1';
  await gh.createUser({ email: 'locked@example.com', password });
  for (let i = 0; i < 10; i++) {
    await signInForCode(gh, { clientId: web.clientId, redirectUri: app.callbackUrl, username: 'locked@example.com', password: 'a-wrong-password-x' }).catch(() => {});
  }
  const locked = (await gh.gatehouse.deps.store.users.findByLogin('locked@example.com'))!;
  assert.ok(locked.lockedUntil && locked.lockedUntil > Date.now(), 'locked out');
  const { verifier, state } = embedded();
  await withPage(browser, t, async (p, rec) => {
    await p.goto(app.origin + '/');
    await press(p, p.getByRole('button', { name: 'Unlock account?' }));
    await p.getByRole('heading', { name: 'Unlock your account' }).waitFor();
    assert.equal(await p.getByRole('radio', { name: 'Email' }).isChecked(), true);
    await axeClean(p, rec, 'select-authenticator-unlock-account');
    await typeInto(p, p.getByLabel('Username'), 'locked@example.com');
    await p.keyboard.press('Enter');

    const code = p.getByLabel('Enter code');
    await code.waitFor();
    await p.getByRole('heading', { name: 'Verify with your email' }).waitFor();
    await axeClean(p, rec, 'unlock email challenge');
    await typeInto(p, code, codeOf(await smtp.nextMessage('locked@example.com')));
    await p.keyboard.press('Enter');

    await p.getByRole('heading', { name: 'Account successfully unlocked!' }).waitFor();
    await p.getByText('You can sign in with your existing username and password.').waitFor();
    await axeClean(p, rec, 'unlocked');
    await press(p, p.getByRole('button', { name: 'Back to sign in' }));

    await p.getByRole('heading', { name: 'Sign In', exact: true }).waitFor();
    await typeInto(p, p.getByLabel('Username'), 'locked@example.com');
    await typeInto(p, p.getByLabel('Password', { exact: true }), password);
    await Promise.all([p.waitForURL(/\/interactioncode\/callback\?/), p.keyboard.press('Enter')]);
    const url = new URL(p.url());
    assert.equal(url.searchParams.get('state'), state);
    const r = await token(gh, { grant_type: 'interaction_code', interaction_code: url.searchParams.get('interaction_code')!, code_verifier: verifier }, web);
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.deepEqual(rec.cspViolations, []);
  });
  assert.equal((await gh.gatehouse.deps.store.users.findByLogin('locked@example.com'))!.lockedUntil, null);
});

test('with self-service registration and unlock off (the default), the sign-in page offers neither', async (t) => {
  // Another server, as it comes: the identify page reads the org policy through a short cache, so turning the
  // features off here would not show at once (posting either form is refused at once either way).
  const plain = await startServer();
  try {
    const other = await plain.createApp({ name: 'Plain app', redirectUris: [app.callbackUrl], trustedOrigins: [app.origin] });
    const m = await (await fetch(`${plain.baseUrl}/widget/manifest.json`)).json();
    const js = m.files['gatehouse-signin.js'];
    const cfg = { issuer: plain.issuer, clientId: other.clientId, redirectUri: app.callbackUrl, scopes: ['openid'], codeChallenge: pkce().challenge, codeChallengeMethod: 'S256' };
    app.setPage('/', `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>App</title>
<script src="${plain.baseUrl}${js.path}" integrity="${js.integrity}" crossorigin="anonymous"></script></head>
<body><main><div id="sign-in"></div></main><script type="application/json" id="cfg">${JSON.stringify(cfg)}</script><script src="/start.js"></script></body></html>`);
    await withPage(browser, t, async (p) => {
      await p.goto(app.origin + '/');
      await p.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
      assert.equal(await p.getByRole('button', { name: 'Sign up' }).count(), 0);
      assert.equal(await p.getByRole('button', { name: 'Unlock account?' }).count(), 0);
    });
  } finally {
    await plain.close();
  }
});
