// The real @okta/okta-signin-widget v7, configured as the seed's app would configure it (backend-held PKCE,
// remediation mode), signs in against Gatehouse from a page on another origin and redirects with
// interaction_code and state; a wrong password shows its error. Debian's chromium via playwright-core.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, withPage as withBrowserPage } from '../../../widget/test/support/browser.js';
import { startServer, type TestServer } from '../support/start-server.js';
import { startAppPage, type AppPage } from '../support/app-page.js';
import { pkce, token } from '../support/idx-client.js';

const require = createRequire(import.meta.url);
const oktaDist = join(dirname(require.resolve('@okta/okta-signin-widget/package.json')), 'dist');
const password = 'a-long-password-1';

let gh: TestServer;
let app: AppPage;
let browser: Browser;
let client: { clientId: string; clientSecret?: string };

before(async () => {
  gh = await startServer();
  app = await startAppPage('localhost'); // Gatehouse is on 127.0.0.1: another origin, another site
  await gh.createUser({ email: 'okta-widget@example.com', password, firstName: 'Widget', lastName: 'User' });
  client = await gh.createApp({ name: 'Okta widget app', redirectUris: [app.callbackUrl], trustedOrigins: [app.origin] });
  app.setFile('/okta-sign-in.min.js', join(oktaDist, 'js/okta-sign-in.min.js'), 'text/javascript');
  app.setFile('/okta-sign-in.min.css', join(oktaDist, 'css/okta-sign-in.min.css'), 'text/css');
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await app?.close();
  await gh?.close();
});

function widgetPage(challenge: string, state: string, clientId = client.clientId) {
  const config = { issuer: gh.issuer, clientId, redirectUri: app.callbackUrl, scopes: ['openid', 'profile', 'email'], state, codeChallenge: challenge, codeChallengeMethod: 'S256', language: 'en' };
  app.setPage('/', `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>App</title>
<link rel="stylesheet" href="/okta-sign-in.min.css"><script src="/okta-sign-in.min.js"></script></head>
<body><div id="okta-login-container"></div><script type="application/json" id="cfg">${JSON.stringify(config)}</script><script src="/start.js"></script></body></html>`);
  app.setPage('/start.js', `const c = JSON.parse(document.getElementById('cfg').textContent);
new OktaSignIn(c).showSignInAndRedirect({ el: '#okta-login-container' });`, {});
}

const withPage = (t: { name: string }, fn: (page: Page) => Promise<void>) => withBrowserPage(browser, t, (page) => fn(page));

/**
 * The Okta widget throttles its form's submit to one per 200 ms and drops the extra ones. Against a local
 * server an error comes back, and Playwright retypes, faster than that, so the retry is resubmitted until the
 * browser leaves the page (waiting on the navigation, not on a clock).
 */
async function submitUntilRedirected(page: Page) {
  for (let i = 0; i < 10; i++) {
    await page.click('input[type="submit"], button[type="submit"]');
    try {
      await page.waitForURL(/\/interactioncode\/callback\?/, { timeout: 500 });
      return;
    } catch { /* still on the form: the click was throttled */ }
  }
  throw new Error('the widget never redirected to the callback');
}

test('the Okta widget signs in against Gatehouse and redirects with interaction_code and state, which the app redeems', async (t) => {
  const { verifier, challenge } = pkce();
  const state = 'state-' + Date.now();
  widgetPage(challenge, state);
  await withPage(t, async (page) => {
    await page.goto(app.origin + '/');
    await page.fill('input[name="identifier"]', 'okta-widget@example.com');
    await page.fill('input[name="credentials.passcode"]', password);
    await Promise.all([page.waitForURL(/\/interactioncode\/callback\?/), page.click('input[type="submit"], button[type="submit"]')]);
    const url = new URL(page.url());
    assert.equal(url.searchParams.get('state'), state);
    const code = url.searchParams.get('interaction_code');
    assert.ok(code);
    const r = await token(gh, { grant_type: 'interaction_code', interaction_code: code!, code_verifier: verifier, redirect_uri: app.callbackUrl }, client);
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.ok(r.json.id_token);
  });
});

test('the Okta widget shows its error for a wrong password and stays on the form', async (t) => {
  const { challenge } = pkce();
  widgetPage(challenge, 'state-wrong');
  await withPage(t, async (page) => {
    await page.goto(app.origin + '/');
    await page.fill('input[name="identifier"]', 'okta-widget@example.com');
    await page.fill('input[name="credentials.passcode"]', 'wrong-password-123');
    await page.click('input[type="submit"], button[type="submit"]');
    await page.waitForSelector('.o-form-error-container .okta-form-infobox-error, .o-form-error-container [role="alert"], .okta-form-infobox-error');
    const text = await page.textContent('.o-form-error-container');
    assert.match(text ?? '', /Unable to sign in/);
    assert.equal(new URL(page.url()).pathname, '/');
  });
});

test('HTML in the app name and the user name reaches the Okta widget as text and runs no script', async (t) => {
  const payload = '<img src=x onerror="window.__xss=1">';
  await gh.createUser({ email: 'xss-okta@example.com', password, firstName: payload, lastName: '<script>window.__xss=2</script>' });
  const evil = await gh.createApp({ name: payload, redirectUris: [app.callbackUrl] });
  const { challenge } = pkce();
  widgetPage(challenge, 'state-xss', evil.clientId);
  await withPage(t, async (page) => {
    await page.goto(app.origin + '/');
    await page.fill('input[name="identifier"]', 'xss-okta@example.com');
    await page.fill('input[name="credentials.passcode"]', 'wrong-password-123');
    await page.click('input[type="submit"], button[type="submit"]');
    await page.waitForSelector('.o-form-error-container .okta-form-infobox-error, .okta-form-infobox-error');
    assert.equal(await page.evaluate(() => (window as any).__xss), undefined);
    await page.locator('input[name="credentials.passcode"]').fill(password);
    await submitUntilRedirected(page);
    assert.equal(await page.evaluate(() => (window as any).__xss), undefined);
  });
});

test('the Okta widget follows an identifier-first policy: identify, then the password challenge, then the redirect', async (t) => {
  const ifApp = await gh.createApp({ name: 'Okta widget identifier first', redirectUris: [app.callbackUrl], signIn: 'identifier-first' });
  const { challenge } = pkce();
  widgetPage(challenge, 'state-if', ifApp.clientId);
  await withPage(t, async (page) => {
    await page.goto(app.origin + '/');
    await page.fill('input[name="identifier"]', 'okta-widget@example.com');
    await page.click('input[type="submit"], button[type="submit"]');
    await page.waitForSelector('input[name="credentials.passcode"]');
    await page.fill('input[name="credentials.passcode"]', password);
    await submitUntilRedirected(page);
    assert.equal(new URL(page.url()).searchParams.get('state'), 'state-if');
  });
});

test('the Okta widget in a single-page app runs PKCE itself and gets tokens from Gatehouse (showSignInToGetTokens)', async (t) => {
  const spa = await gh.createApp({ name: 'Okta widget SPA', type: 'spa', redirectUris: [app.callbackUrl], trustedOrigins: [app.origin] });
  const config = { issuer: gh.issuer, clientId: spa.clientId, redirectUri: app.callbackUrl, scopes: ['openid', 'profile', 'email'], language: 'en' };
  app.setPage('/', `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>SPA</title>
<link rel="stylesheet" href="/okta-sign-in.min.css"><script src="/okta-sign-in.min.js"></script></head>
<body><div id="okta-login-container"></div><script type="application/json" id="cfg">${JSON.stringify(config)}</script><script src="/start.js"></script></body></html>`);
  app.setPage('/start.js', `const c = JSON.parse(document.getElementById('cfg').textContent);
new OktaSignIn(c).showSignInToGetTokens({ el: '#okta-login-container' })
  .then((tokens) => { window.__tokens = { access: tokens.accessToken.accessToken, id: tokens.idToken.idToken, claims: tokens.idToken.claims }; })
  .catch((e) => { window.__error = String(e && (e.errorSummary || e.message) || e); });`, {});
  await withPage(t, async (page) => {
    await page.goto(app.origin + '/');
    await page.fill('input[name="identifier"]', 'okta-widget@example.com');
    await page.fill('input[name="credentials.passcode"]', password);
    await page.click('input[type="submit"], button[type="submit"]');
    await page.waitForFunction(() => (window as any).__tokens || (window as any).__error, undefined, { timeout: 10_000 });
    assert.equal(await page.evaluate(() => (window as any).__error), undefined);
    const tokens = await page.evaluate(() => (window as any).__tokens);
    assert.equal(tokens.claims.email, 'okta-widget@example.com');
    assert.equal(tokens.claims.aud, spa.clientId);
    assert.equal(new URL(page.url()).origin, app.origin, 'the page never left the app');
    const me = await fetch(`${gh.issuer}/v1/userinfo`, { headers: { authorization: `Bearer ${tokens.access}` } });
    assert.equal(me.status, 200);
    assert.equal((await me.json()).email, 'okta-widget@example.com');
  });
});
