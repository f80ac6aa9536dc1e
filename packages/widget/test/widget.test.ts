// Our widget in real Chromium against a real Gatehouse, embedded in an app page on another origin (and
// site) under a strict CSP, as in production.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import * as oidc from 'openid-client';
import { launchBrowser, withPage } from './support/browser.js';
import { startServer, type TestServer } from '../../server/test/support/start-server.js';
import { startAppPage, type AppPage } from '../../server/test/support/app-page.js';
import { pkce, token } from '../../server/test/support/idx-client.js';

const require = createRequire(import.meta.url);
const password = 'a-long-password-1';
const XSS = '<img src=x onerror="window.__xss=1">';
let gh: TestServer;
let app: AppPage;
let browser: Browser;
let web: { clientId: string; clientSecret?: string };
let ifApp: { clientId: string; clientSecret?: string };
let spa: { clientId: string };
let manifest: { files: Record<string, { path: string; integrity: string }> };

before(async () => {
  gh = await startServer();
  app = await startAppPage('localhost');
  await gh.createUser({ email: 'widget@example.com', password, firstName: 'Wid', lastName: 'Get' });
  await gh.createUser({ email: 'xss@example.com', password, firstName: XSS, lastName: '<script>window.__xss=2</script>' });
  web = await gh.createApp({ name: 'Widget app', redirectUris: [app.callbackUrl], trustedOrigins: [app.origin] });
  ifApp = await gh.createApp({ name: 'Identifier first', redirectUris: [app.callbackUrl], signIn: 'identifier-first' });
  spa = await gh.createApp({ name: 'SPA', type: 'spa', redirectUris: [app.callbackUrl] });
  manifest = await (await fetch(`${gh.baseUrl}/widget/manifest.json`)).json();
  app.setPage('/start.js', `const c = JSON.parse(document.getElementById('cfg').textContent);
const w = new GatehouseSignIn(c);
if (c.codeChallenge) w.showSignInAndRedirect({ el: '#sign-in' });
else w.showSignInToGetTokens({ el: '#sign-in' }).then((t) => { document.getElementById('result').textContent = JSON.stringify(t.idTokenClaims); });`);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await app?.close();
  await gh?.close();
});

function page(config: Record<string, unknown>) {
  const js = manifest.files['gatehouse-signin.js']!;
  const css = manifest.files['gatehouse-signin.css']!;
  const csp = `default-src 'none'; script-src 'self' ${gh.baseUrl}; style-src 'self' ${gh.baseUrl}; connect-src ${gh.baseUrl}; img-src 'self'; base-uri 'none'; form-action 'none'`;
  app.setPage('/', `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>App</title>
<link rel="stylesheet" href="${gh.baseUrl}${css.path}" integrity="${css.integrity}" crossorigin="anonymous">
<script src="${gh.baseUrl}${js.path}" integrity="${js.integrity}" crossorigin="anonymous"></script></head>
<body><main><div id="sign-in"></div><pre id="result"></pre></main>
<script type="application/json" id="cfg">${JSON.stringify(config).replace(/</g, '\\u003c')}</script><script src="/start.js"></script></body></html>`,
  { 'Content-Security-Policy': csp });
}

function embedded(clientId = web.clientId, extra: Record<string, unknown> = {}) {
  const { verifier, challenge } = pkce();
  const state = 'st-' + Math.random().toString(36).slice(2);
  page({ issuer: gh.issuer, clientId, redirectUri: app.callbackUrl, scopes: ['openid', 'profile', 'email'], state, codeChallenge: challenge, codeChallengeMethod: 'S256', ...extra });
  return { verifier, state };
}

async function signIn(p: Page, user: string, pass: string) {
  await p.goto(app.origin + '/');
  await p.getByLabel('Username').fill(user);
  await p.getByLabel('Password').fill(pass);
  await p.getByRole('button', { name: 'Sign in', exact: true }).click();
}

test('our widget signs in and lands on the redirect URI with interaction_code and state; the app redeems it', async (t) => {
  const { verifier, state } = embedded();
  await withPage(browser, t, async (p, rec) => {
    await Promise.all([p.waitForURL(/\/interactioncode\/callback\?/), signIn(p, 'widget@example.com', password)]);
    const url = new URL(p.url());
    assert.equal(url.searchParams.get('state'), state);
    const r = await token(gh, { grant_type: 'interaction_code', interaction_code: url.searchParams.get('interaction_code')!, code_verifier: verifier }, web);
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.deepEqual(rec.cspViolations, []);
  });
});

test('the inputs carry autocomplete username (webauthn) and current-password, labels are bound, and the button is a submit', async (t) => {
  embedded();
  await withPage(browser, t, async (p) => {
    await p.goto(app.origin + '/');
    // WebAuthn is on (the default), so the identify page offers passkeys in the username field too.
    assert.equal(await p.getByLabel('Username').getAttribute('autocomplete'), 'username webauthn');
    assert.equal(await p.getByLabel('Password').getAttribute('autocomplete'), 'current-password');
    assert.equal(await p.locator('button[type=submit]').count(), 1);
  });
});

test('a wrong password and an unknown user show the same announced message and keep the form', async (t) => {
  embedded();
  await withPage(browser, t, async (p) => {
    const texts: string[] = [];
    for (const user of ['widget@example.com', 'nobody@example.com']) {
      await signIn(p, user, 'wrong-password-1');
      const alert = p.locator('.gh-alert[role=alert]');
      await alert.filter({ hasText: 'Unable to sign in' }).waitFor();
      texts.push((await alert.textContent()) ?? '');
      assert.equal(await alert.getAttribute('aria-live'), 'assertive');
      assert.equal(new URL(p.url()).pathname, '/');
      assert.equal(await p.evaluate(() => document.activeElement?.getAttribute('autocomplete')), 'current-password', 'focus moves to the password to retype');
    }
    assert.equal(texts[0], texts[1]);
  });
});

test('after a wrong password the same form signs in with the right one', async (t) => {
  embedded();
  await withPage(browser, t, async (p) => {
    await signIn(p, 'widget@example.com', 'wrong-password-1');
    await p.locator('.gh-alert').filter({ hasText: 'Unable to sign in' }).waitFor();
    await p.getByLabel('Password').fill(password);
    await Promise.all([p.waitForURL(/interaction_code=/), p.getByRole('button', { name: 'Sign in', exact: true }).click()]);
  });
});

test('a toggle shows the password as text and hides it again; a wrong password clears and hides it', async (t) => {
  embedded();
  await withPage(browser, t, async (p) => {
    await p.goto(app.origin + '/');
    const field = p.getByLabel('Password', { exact: true });
    const toggle = p.getByRole('button', { name: 'Show password' });
    await field.fill('wrong-password-1');
    assert.equal(await field.getAttribute('type'), 'password');
    assert.equal(await toggle.getAttribute('aria-controls'), await field.getAttribute('id'));
    await toggle.focus();
    await p.keyboard.press('Enter');
    assert.equal(await field.getAttribute('type'), 'text');
    await p.getByRole('button', { name: 'Hide password' }).waitFor();
    assert.equal(await field.inputValue(), 'wrong-password-1', 'showing does not change what was typed');
    await p.getByLabel('Username').fill('widget@example.com');
    await p.getByRole('button', { name: 'Sign in', exact: true }).click();
    await p.locator('.gh-alert').filter({ hasText: 'Unable to sign in' }).waitFor();
    assert.equal(await field.getAttribute('type'), 'password', 'hidden again for the next try');
    assert.equal(await field.inputValue(), '');
    await p.getByRole('button', { name: 'Show password' }).waitFor();
  });
});

test('keyboard only: type, Tab, type, Enter signs in', async (t) => {
  embedded();
  await withPage(browser, t, async (p) => {
    await p.goto(app.origin + '/');
    await p.getByLabel('Username').waitFor();
    assert.equal(await p.evaluate(() => document.activeElement?.getAttribute('name')), 'identifier', 'focus starts in the first field');
    await p.keyboard.type('widget@example.com');
    await p.keyboard.press('Tab');
    await p.keyboard.type(password);
    await Promise.all([p.waitForURL(/interaction_code=/), p.keyboard.press('Enter')]);
  });
});

test('an empty submit marks the fields without a round trip and focuses the first', async (t) => {
  embedded();
  await withPage(browser, t, async (p) => {
    await p.goto(app.origin + '/');
    await p.getByRole('button', { name: 'Sign in', exact: true }).click();
    assert.equal(await p.getByLabel('Username').getAttribute('aria-invalid'), 'true');
    assert.equal(await p.evaluate(() => document.activeElement?.getAttribute('name')), 'identifier');
  });
});

test('identifier first: Next, then the password challenge, then the redirect', async (t) => {
  embedded(ifApp.clientId);
  await withPage(browser, t, async (p) => {
    await p.goto(app.origin + '/');
    await p.getByLabel('Username').fill('widget@example.com');
    await p.getByRole('button', { name: 'Next' }).click();
    await p.getByRole('heading', { name: 'Verify with your password' }).waitFor();
    await p.getByLabel('Password', { exact: true }).fill(password);
    await Promise.all([p.waitForURL(/interaction_code=/), p.getByRole('button', { name: 'Verify' }).click()]);
  });
});

test('cancel sends the browser to the redirect URI with error=access_denied and the state', async (t) => {
  const { state } = embedded();
  await withPage(browser, t, async (p) => {
    await p.goto(app.origin + '/');
    await Promise.all([p.waitForURL(/error=access_denied/), p.getByRole('button', { name: 'Cancel' }).click()]);
    const url = new URL(p.url());
    assert.equal(url.searchParams.get('state'), state);
    assert.ok(url.searchParams.get('error_description'));
  });
});

test('axe-core reports no accessibility violations on the form and on the error state', async (t) => {
  embedded();
  const axe = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  await withPage(browser, t, async (p) => {
    await p.goto(app.origin + '/');
    await p.getByLabel('Username').waitFor();
    const run = async () => {
      await p.evaluate(axe); // DevTools evaluation is not a page script, so the CSP does not apply to it
      return p.evaluate(async () => (await (window as any).axe.run('#sign-in')).violations.map((v: any) => `${v.id}: ${v.nodes.length}`));
    };
    assert.deepEqual(await run(), []);
    await p.getByLabel('Username').fill('widget@example.com');
    await p.getByLabel('Password').fill('wrong-password-1');
    await p.getByRole('button', { name: 'Sign in', exact: true }).click();
    await p.locator('.gh-alert').filter({ hasText: 'Unable to sign in' }).waitFor();
    assert.deepEqual(await run(), []);
  });
});

test('HTML in user and app names and in the login hint is shown as text and runs no script; no CSP violation', async (t) => {
  const evil = await gh.createApp({ name: XSS, redirectUris: [app.callbackUrl] });
  embedded(evil.clientId, { brandName: XSS });
  await withPage(browser, t, async (p, rec) => {
    await p.goto(app.origin + '/');
    assert.equal(await p.locator('.gh-brand').textContent(), XSS);
    await Promise.all([p.waitForURL(/interaction_code=/), (async () => {
      await p.getByLabel('Username').fill('xss@example.com');
      await p.getByLabel('Password').fill(password);
      await p.getByRole('button', { name: 'Sign in', exact: true }).click();
    })()]);
    assert.equal(await p.evaluate(() => (window as any).__xss), undefined);
    assert.deepEqual(rec.cspViolations, []);
  });
});

test('French: the widget speaks the configured language', async (t) => {
  embedded(web.clientId, { language: 'fr' });
  await withPage(browser, t, async (p) => {
    await p.goto(app.origin + '/');
    await p.getByRole('heading', { name: 'Connexion' }).waitFor();
    await p.getByLabel("Nom d'utilisateur").fill('widget@example.com');
    await p.getByLabel('Mot de passe').fill('wrong-password-1');
    await p.getByRole('button', { name: 'Se connecter' }).click();
    await p.locator('.gh-alert').filter({ hasText: 'Connexion impossible' }).waitFor();
  });
});

test('without a codeChallenge the widget runs PKCE itself and hands back tokens (showSignInToGetTokens)', async (t) => {
  page({ issuer: gh.issuer, clientId: spa.clientId, redirectUri: app.callbackUrl, scopes: ['openid', 'profile', 'email'] });
  await withPage(browser, t, async (p) => {
    await signIn(p, 'widget@example.com', password);
    await p.locator('#result').filter({ hasText: 'widget@example.com' }).waitFor();
    const claims = JSON.parse((await p.locator('#result').textContent())!);
    assert.equal(claims.email, 'widget@example.com');
  });
});

test('the hosted sign-in page: openid-client authorization-code flow, Chromium fills the form, prompt=none afterwards', async (t) => {
  const config = await oidc.discovery(new URL(gh.issuer), web.clientId, web.clientSecret, undefined, { execute: [oidc.allowInsecureRequests] });
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, { redirect_uri: app.callbackUrl, scope: 'openid profile email', code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', state, nonce });
  await withPage(browser, t, async (p, rec) => {
    await p.goto(url.href);
    await p.getByLabel('Username').fill('widget@example.com');
    await p.getByLabel('Password').fill(password);
    await Promise.all([p.waitForURL(/\/interactioncode\/callback\?code=/), p.getByRole('button', { name: 'Sign in', exact: true }).click()]);
    const tokens = await oidc.authorizationCodeGrant(config, new URL(p.url()), { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
    assert.equal(tokens.claims()!.email, 'widget@example.com');
    assert.deepEqual(rec.cspViolations, []);
    // The IdP session cookie now answers prompt=none with a code, in the same browser.
    const again = oidc.buildAuthorizationUrl(config, { redirect_uri: app.callbackUrl, scope: 'openid', code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', state: 's2', prompt: 'none' });
    await p.goto(again.href);
    await p.waitForURL(/\/interactioncode\/callback\?code=/);
    assert.equal(new URL(p.url()).searchParams.get('state'), 's2');
  });
});

test('an expired sign-in sends the browser to the redirect URI with an error and the state (test clock)', async (t) => {
  const { state } = embedded();
  await withPage(browser, t, async (p) => {
    await p.goto(app.origin + '/');
    await p.getByLabel('Username').fill('widget@example.com');
    await p.getByLabel('Password').fill(password);
    gh.clock.advance(11 * 60_000);
    try {
      await Promise.all([p.waitForURL(/error=access_denied/), p.getByRole('button', { name: 'Sign in', exact: true }).click()]);
    } finally {
      gh.clock.advance(-11 * 60_000);
    }
    const url = new URL(p.url());
    assert.equal(url.searchParams.get('state'), state);
    assert.match(url.searchParams.get('error_description')!, /expired/);
  });
});

test('theme custom properties reach the widget without inline styles in the markup', async (t) => {
  embedded(web.clientId, { theme: { '--gh-color-primary': 'rgb(1, 2, 3)' } });
  await withPage(browser, t, async (p, rec) => {
    await p.goto(app.origin + '/');
    await p.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
    assert.equal(await p.getByRole('button', { name: 'Sign in', exact: true }).evaluate((b) => getComputedStyle(b).backgroundColor), 'rgb(1, 2, 3)');
    assert.deepEqual(rec.cspViolations, []);
  });
});
