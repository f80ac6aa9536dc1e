// Self-service registration and account unlock (spec §8.1, §8.3) with the real @okta/okta-signin-widget v7 in
// Chromium against Gatehouse and a real SMTP server on loopback. Sign up → the profile form drawn from the schema
// (a custom enum attribute as a choice list) with the password under the policy's rules → the code read from the
// captured mail → redirect with interaction_code and state → tokens whose claims carry the profile. Then a user
// locked out by ten wrong passwords: Unlock account? → username → email → the mailed code → "Account successfully
// unlocked!" → the same widget signs them in.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { decodeJwt } from 'jose';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, withPage } from '../../../widget/test/support/browser.js';
import { startServer, type TestServer } from '../support/start-server.js';
import { startAppPage, type AppPage } from '../support/app-page.js';
import { pkce, signInForCode, token } from '../support/idx-client.js';
import { codeOf, startSmtp, type TestSmtp } from '../support/smtp.js';
import { cliFor } from '../support/cli.js';

const require = createRequire(import.meta.url);
const oktaDist = join(dirname(require.resolve('@okta/okta-signin-widget/package.json')), 'dist');

let gh: TestServer;
let smtp: TestSmtp;
let app: AppPage;
let browser: Browser;
let client: { clientId: string; clientSecret?: string };

before(async () => {
  smtp = await startSmtp();
  gh = await startServer({ config: { smtpUrl: smtp.url } });
  app = await startAppPage('localhost'); // Gatehouse is on 127.0.0.1: another origin, another site
  client = await gh.createApp({ name: 'Okta widget sign-up', redirectUris: [app.callbackUrl], trustedOrigins: [app.origin] });
  const cli = cliFor(gh);
  for (const args of [
    ['policy', 'set', '--self-service-registration', 'on', '--self-service-unlock', 'on'],
    ['profile-schema', 'add', '--name', 'department', '--label', 'Department', '--enum', 'Sales,Engineering,Support', '--required'],
  ]) {
    const r = await cli(...args);
    assert.equal(r.status, 0, r.stderr);
  }
  app.setFile('/okta-sign-in.min.js', join(oktaDist, 'js/okta-sign-in.min.js'), 'text/javascript');
  app.setFile('/okta-sign-in.min.css', join(oktaDist, 'css/okta-sign-in.min.css'), 'text/css');
  app.setPage('/start.js', `const c = JSON.parse(document.getElementById('cfg').textContent);
new OktaSignIn(c).showSignInAndRedirect({ el: '#okta-login-container' });`, {});
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await app?.close();
  await gh?.close();
  await smtp?.close();
});

/** The sign-in page as the seed's app renders it: backend-held PKCE, remediation mode. */
function signInPage(challenge: string, state: string) {
  const config = { issuer: gh.issuer, clientId: client.clientId, redirectUri: app.callbackUrl, scopes: ['openid', 'profile', 'email'], state, codeChallenge: challenge, codeChallengeMethod: 'S256', language: 'en' };
  app.setPage('/', `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>App</title>
<link rel="stylesheet" href="/okta-sign-in.min.css"><script src="/okta-sign-in.min.js"></script></head>
<body><div id="okta-login-container"></div><script type="application/json" id="cfg">${JSON.stringify(config)}</script><script src="/start.js"></script></body></html>`);
}

const submit = (page: Page) => page.click('.o-form-button-bar input[type="submit"], .o-form-button-bar button[type="submit"]');

async function redeem(page: Page, verifier: string, state: string) {
  const url = new URL(page.url());
  assert.equal(url.searchParams.get('state'), state);
  const code = url.searchParams.get('interaction_code');
  assert.ok(code, page.url());
  const r = await token(gh, { grant_type: 'interaction_code', interaction_code: code!, code_verifier: verifier, redirect_uri: app.callbackUrl }, client);
  assert.equal(r.status, 200, JSON.stringify(r.json));
  return r.json;
}

test('Okta widget: Sign up → profile with a custom choice → password → the mailed code → interaction_code → tokens with the profile', async (t) => {
  const { verifier, challenge } = pkce();
  const state = 'state-sign-up';
  signInPage(challenge, state);
  await withPage(browser, t, async (page) => {
    await page.goto(app.origin + '/');
    await page.getByRole('link', { name: 'Sign up' }).click();
    const email = page.locator('input[name="userProfile.email"]');
    await email.waitFor();
    await email.fill('okta-signup@example.com');
    await page.locator('input[name="userProfile.firstName"]').fill('Ada');
    await page.locator('input[name="userProfile.lastName"]').fill('Okta');
    // The enum attribute: the widget draws its options as a select (a chosen.js drop-down over a native <select>).
    const department = page.locator('select[name="userProfile.department"]');
    assert.deepEqual(await department.locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value).filter(Boolean)), ['Sales', 'Engineering', 'Support']);
    await department.selectOption('Engineering', { force: true });
    await page.locator('input[name="credentials.passcode"]').fill('a-brand-new-password-1');
    const confirm = page.locator('input[name="confirmPassword"]');
    if (await confirm.count()) await confirm.fill('a-brand-new-password-1');
    await submit(page);

    // Email verification: the user is STAGED until the mailed code is entered.
    const mail = await smtp.nextMessage('okta-signup@example.com');
    const passcode = page.locator('input[name="credentials.passcode"]');
    await passcode.waitFor();
    assert.equal((await gh.gatehouse.deps.store.users.findByLogin('okta-signup@example.com'))!.status, 'STAGED');
    await passcode.fill(codeOf(mail));
    await Promise.all([page.waitForURL(/\/interactioncode\/callback\?/), submit(page)]);
    const tokens = await redeem(page, verifier, state);
    const claims = decodeJwt(tokens.id_token);
    assert.equal(claims.email, 'okta-signup@example.com');
    assert.equal(claims.given_name, 'Ada');
    assert.equal(claims.family_name, 'Okta');
    assert.equal(claims.department, 'Engineering');
  });
  assert.equal((await gh.gatehouse.deps.store.users.findByLogin('okta-signup@example.com'))!.status, 'ACTIVE');
});

test('Okta widget: Unlock account? → username → email → the mailed code → "Account successfully unlocked!" → then signs in', async (t) => {
  const password = 'the-right-password-1';
  await gh.createUser({ email: 'okta-locked@example.com', password, firstName: 'Lock', lastName: 'Ed' });
  for (let i = 0; i < 10; i++) {
    await signInForCode(gh, { clientId: client.clientId, redirectUri: app.callbackUrl, username: 'okta-locked@example.com', password: 'a-wrong-password-x' }).catch(() => {});
  }
  const user = (await gh.gatehouse.deps.store.users.findByLogin('okta-locked@example.com'))!;
  assert.ok(user.lockedUntil && user.lockedUntil > Date.now(), 'locked out');
  const next = pkce();
  signInPage(pkce().challenge, 'state-unlock');
  await withPage(browser, t, async (page) => {
    await page.goto(app.origin + '/');
    await page.getByRole('link', { name: 'Unlock account?' }).click();
    const identifier = page.locator('input[name="identifier"]');
    await identifier.waitFor();
    await identifier.fill('okta-locked@example.com');
    // The one way to prove it: email, chosen from the widget's list.
    await page.locator('[data-se="okta_email"] .select-factor, [data-se="okta_email"] [data-se="button"]').first().click();
    const mail = await smtp.nextMessage('okta-locked@example.com');
    const passcode = page.locator('input[name="credentials.passcode"]');
    await passcode.waitFor();
    await passcode.fill(codeOf(mail));
    await submit(page);
    await page.getByText('Account successfully unlocked!').waitFor();
    assert.match(await page.locator('#okta-login-container').innerText(), /You can log in using your existing username and password/);
    assert.equal(new URL(page.url()).pathname, '/');

    // Unlocked: the app's next sign-in page (a new state and PKCE pair, as the app makes per page) signs in.
    signInPage(next.challenge, 'state-after-unlock');
    await page.goto(app.origin + '/');
    await page.locator('input[name="identifier"]').fill('okta-locked@example.com');
    await page.locator('input[name="credentials.passcode"]').fill(password);
    await Promise.all([page.waitForURL(/\/interactioncode\/callback\?/), submit(page)]);
    await redeem(page, next.verifier, 'state-after-unlock');
  });
  const after = (await gh.gatehouse.deps.store.users.findByLogin('okta-locked@example.com'))!;
  assert.equal(after.lockedUntil, null);
});
