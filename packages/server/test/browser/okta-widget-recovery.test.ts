// Password recovery with the real @okta/okta-signin-widget v7 in Chromium against Gatehouse and a real SMTP server
// on loopback (spec §8.2): "Forgot password?" → username → email → the code read from the captured mail → a new
// password → redirect to the app with interaction_code and state, redeemed at the token endpoint. Then the magic
// link (spec §4.5): the mail's link opens the app's email-verify callback in a second tab of the same browser,
// where the widget is started with `otp` and `state`; it finds the transaction saved under that state (auth-js
// keeps it in localStorage, which the tabs share) and continues it there. A browser that never started the flow
// gets the widget's "enter the code in the original tab" view, and the code from it finishes the first tab.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, withPage } from '../../../widget/test/support/browser.js';
import { startServer, type TestServer } from '../support/start-server.js';
import { startAppPage, type AppPage } from '../support/app-page.js';
import { pkce, signInForCode, token } from '../support/idx-client.js';
import { codeOf, linkOf, startSmtp, type TestSmtp } from '../support/smtp.js';

const require = createRequire(import.meta.url);
const oktaDist = join(dirname(require.resolve('@okta/okta-signin-widget/package.json')), 'dist');
const oldPassword = 'the-old-password-1';

let gh: TestServer;
let smtp: TestSmtp;
let app: AppPage;
let browser: Browser;
/** No email-verify callback: the mail has only the code, and the widget shows the code box at once. */
let codeApp: { clientId: string; clientSecret?: string };
/** With the email-verify callback: the mail carries the magic link. */
let linkApp: { clientId: string; clientSecret?: string };
let verifyUri: string;

before(async () => {
  smtp = await startSmtp();
  gh = await startServer({ config: { smtpUrl: smtp.url } });
  app = await startAppPage('localhost'); // Gatehouse is on 127.0.0.1: another origin, another site
  verifyUri = `${app.origin}/login/callback/email-verify`;
  codeApp = await gh.createApp({ name: 'Okta widget recovery', redirectUris: [app.callbackUrl], trustedOrigins: [app.origin] });
  linkApp = await gh.createApp({ name: 'Okta widget magic link', redirectUris: [app.callbackUrl], trustedOrigins: [app.origin], emailVerifyUri: verifyUri });
  app.setFile('/okta-sign-in.min.js', join(oktaDist, 'js/okta-sign-in.min.js'), 'text/javascript');
  app.setFile('/okta-sign-in.min.css', join(oktaDist, 'css/okta-sign-in.min.css'), 'text/css');
  // Both pages read the widget's options from the page itself; the email-verify callback adds the link's otp and state.
  app.setPage('/start.js', `const c = JSON.parse(document.getElementById('cfg').textContent);
const q = new URLSearchParams(location.search);
if (q.get('otp')) { c.otp = q.get('otp'); c.state = q.get('state'); }
new OktaSignIn(c).showSignInAndRedirect({ el: '#okta-login-container' });`, {});
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await app?.close();
  await gh?.close();
  await smtp?.close();
});

const shell = (config: unknown) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>App</title>
<link rel="stylesheet" href="/okta-sign-in.min.css"><script src="/okta-sign-in.min.js"></script></head>
<body><div id="okta-login-container"></div><script type="application/json" id="cfg">${JSON.stringify(config)}</script><script src="/start.js"></script></body></html>`;

/** The sign-in page as the seed's app renders it: backend-held PKCE, remediation mode. */
function signInPage(clientId: string, challenge: string, state: string) {
  app.setPage('/', shell({ issuer: gh.issuer, clientId, redirectUri: app.callbackUrl, scopes: ['openid', 'profile', 'email'], state, codeChallenge: challenge, codeChallengeMethod: 'S256', language: 'en' }));
}

/** The app's email-verify callback: the same widget, to which start.js adds the link's `otp` and `state`. */
function emailVerifyPage(clientId: string) {
  app.setPage('/login/callback/email-verify', shell({ issuer: gh.issuer, clientId, redirectUri: app.callbackUrl, scopes: ['openid', 'profile', 'email'], language: 'en' }));
}

const submit = (page: Page) => page.click('.o-form-button-bar input[type="submit"], .o-form-button-bar button[type="submit"]');

/** Forgot password? → the username → email: the widget then waits for the code (or the link). */
async function askForRecovery(page: Page, username: string) {
  await page.goto(app.origin + '/');
  // The sign-in form's password field is in place before the link is followed; the recovery form (a new flow) has
  // none. Waiting for it to go keeps the username from being typed into the sign-in form that is still showing.
  await page.locator('input[name="credentials.passcode"]').waitFor();
  await page.getByRole('link', { name: 'Forgot password?' }).click();
  await page.locator('input[name="credentials.passcode"]').waitFor({ state: 'detached' });
  const identifier = page.locator('input[name="identifier"]');
  await identifier.waitFor();
  await identifier.fill(username);
  await submit(page);
  // One way to verify (email): the widget lists it; choosing it sends the mail.
  await page.locator('[data-se="okta_email"] .select-factor, [data-se="okta_email"] [data-se="button"]').first().click();
}

/** The new-password form, then the redirect to the app's callback. */
async function chooseNewPassword(page: Page, newPassword: string) {
  const field = page.locator('input[name="credentials.passcode"]');
  await field.waitFor();
  await field.fill(newPassword);
  await page.locator('input[name="confirmPassword"]').fill(newPassword);
  await Promise.all([page.waitForURL(/\/interactioncode\/callback\?/), submit(page)]);
}

async function redeem(page: Page, verifier: string, state: string, client: { clientId: string; clientSecret?: string }) {
  const url = new URL(page.url());
  assert.equal(url.searchParams.get('state'), state);
  const code = url.searchParams.get('interaction_code');
  assert.ok(code, page.url());
  const r = await token(gh, { grant_type: 'interaction_code', interaction_code: code!, code_verifier: verifier, redirect_uri: app.callbackUrl }, client);
  assert.equal(r.status, 200, JSON.stringify(r.json));
  assert.ok(r.json.id_token);
  return r.json;
}

async function passwordWorks(username: string, password: string) {
  return signInForCode(gh, { clientId: codeApp.clientId, redirectUri: app.callbackUrl, username, password }).then(() => true, () => false);
}

test('Okta widget: Forgot password? → username → the mailed code → a new password → redirect with interaction_code and state, redeemed', async (t) => {
  await gh.createUser({ email: 'okta-recover@example.com', password: oldPassword, firstName: 'Rec', lastName: 'Over' });
  const { verifier, challenge } = pkce();
  const state = 'state-recover-code';
  signInPage(codeApp.clientId, challenge, state);
  await withPage(browser, t, async (page) => {
    await askForRecovery(page, 'okta-recover@example.com');
    const mail = await smtp.nextMessage('okta-recover@example.com');
    assert.doesNotMatch(mail.text, /https?:\/\//, 'no email-verify callback: no link in the mail');
    // useEmailMagicLink is false: the code box shows at once.
    const passcode = page.locator('input[name="credentials.passcode"]');
    await passcode.waitFor();
    await passcode.fill(codeOf(mail));
    await submit(page);
    await page.locator('input[name="confirmPassword"]').waitFor();
    await chooseNewPassword(page, 'okta-widget-new-password-1');
    await redeem(page, verifier, state, codeApp);
  });
  assert.equal(await passwordWorks('okta-recover@example.com', oldPassword), false, 'the old password is refused');
  assert.equal(await passwordWorks('okta-recover@example.com', 'okta-widget-new-password-1'), true, 'the new one signs in');
});

test('Okta widget: the magic link opened in a second tab of the same browser continues the saved transaction there, to a redirect with interaction_code and state', async (t) => {
  await gh.createUser({ email: 'okta-link@example.com', password: oldPassword, firstName: 'Link', lastName: 'Tab' });
  const { verifier, challenge } = pkce();
  const state = 'state-recover-link';
  signInPage(linkApp.clientId, challenge, state);
  emailVerifyPage(linkApp.clientId);
  await withPage(browser, t, async (first) => {
    await askForRecovery(first, 'okta-link@example.com');
    // useEmailMagicLink is true: the code box waits behind "Enter a verification code instead".
    await first.getByText('Enter a verification code instead').waitFor();
    const mail = await smtp.nextMessage('okta-link@example.com');
    const link = new URL(linkOf(mail));
    assert.equal(link.origin + link.pathname, verifyUri);
    assert.equal(link.searchParams.get('state'), state);
    assert.equal(link.searchParams.get('otp'), codeOf(mail), 'the link carries the code the mail shows');

    // The app's email-verify callback in a second tab of the same browser: the widget there loads the transaction
    // saved under the link's state, introspects it and posts the link's otp as the code, then asks for the password.
    const second = await first.context().newPage();
    await second.goto(link.href);
    await chooseNewPassword(second, 'brand-new-secret-pass-2');
    await redeem(second, verifier, state, linkApp);
    // The first tab's poll moves on from the code view (spec §4.5): to the new-password form if it polled while the
    // second tab was there, or to the widget's terminal view once the transaction is finished. Either way it never
    // redirects with a second code. (Gatehouse answers a poll on a finished transaction
    // with idx.session.expired, which the widget shows as "You have been logged out due to inactivity…".)
    await first.getByText('Enter a verification code instead').waitFor({ state: 'hidden', timeout: 15_000 });
    assert.match(await first.locator('#okta-login-container').innerText(), /Reset your password|logged out/);
    assert.equal(new URL(first.url()).pathname, '/');
  });
  assert.equal(await passwordWorks('okta-link@example.com', 'brand-new-secret-pass-2'), true);
});

test("Okta widget: the magic link opened in a browser that never started the flow shows the widget's 'enter the code in the original tab' view, and that code finishes the first tab", async (t) => {
  await gh.createUser({ email: 'okta-device@example.com', password: oldPassword, firstName: 'Other', lastName: 'Device' });
  const { verifier, challenge } = pkce();
  const state = 'state-recover-device';
  signInPage(linkApp.clientId, challenge, state);
  emailVerifyPage(linkApp.clientId);
  await withPage(browser, t, async (first) => {
    await askForRecovery(first, 'okta-device@example.com');
    await first.getByText('Enter a verification code instead').waitFor();
    const mail = await smtp.nextMessage('okta-device@example.com');
    const link = linkOf(mail);
    // Another browser (a fresh context: no storage shared with the first): auth-js finds no saved transaction for
    // the state, so the widget shows the code and asks for it to be typed where the flow started.
    let shown = '';
    await withPage(browser, { name: `${t.name} (other browser)` }, async (other) => {
      await other.goto(link);
      await other.locator('.otp-value').waitFor();
      shown = (await other.locator('.otp-value').innerText()).trim();
      assert.match(await other.locator('#okta-login-container').innerText(), /Enter the OTP in your original authentication location/);
      assert.equal(new URL(other.url()).pathname, '/login/callback/email-verify', 'the other browser does not redirect');
    });
    assert.equal(shown, codeOf(mail));
    await first.getByText('Enter a verification code instead').click();
    const passcode = first.locator('input[name="credentials.passcode"]');
    await passcode.waitFor();
    await passcode.fill(shown);
    await submit(first);
    await first.locator('input[name="confirmPassword"]').waitFor();
    await chooseNewPassword(first, 'typed-from-elsewhere-3');
    await redeem(first, verifier, state, linkApp);
  });
  assert.equal(await passwordWorks('okta-device@example.com', 'typed-from-elsewhere-3'), true);
});
