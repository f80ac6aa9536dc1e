// Our widget's multi-factor views in real Chromium against a real Gatehouse (issue 9): a passkey enrolled during
// sign-in through a DevTools Protocol virtual authenticator, then a sign-in with it and no password typed (the
// identify page's passkey form: the conditional-mediation request starts at once, and "Sign in with a passkey"
// runs the modal request), and Google Authenticator enrolled from the key the widget shows. The app page is on
// http://localhost:<port> and Gatehouse runs with webauthnRpId 'localhost', so the page's origin (a trusted
// origin) and the RP ID agree; Gatehouse itself stays on 127.0.0.1.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, withPage } from './support/browser.js';
import { startServer, type TestServer } from '../../server/test/support/start-server.js';
import { startAppPage, type AppPage } from '../../server/test/support/app-page.js';
import { pkce, token } from '../../server/test/support/idx-client.js';
import { codeAt } from '../../server/src/identity/authenticators/totp.js';

const password = 'a-long-password-1';
let gh: TestServer;
let app: AppPage;
let browser: Browser;
let strong: { clientId: string; clientSecret?: string };
let two: { clientId: string; clientSecret?: string };
let one: { clientId: string; clientSecret?: string };
let manifest: { files: Record<string, { path: string; integrity: string }> };

before(async () => {
  gh = await startServer({ config: { webauthnRpId: 'localhost' } });
  app = await startAppPage('localhost');
  strong = await gh.createApp({ name: 'Phishing-resistant app', redirectUris: [app.callbackUrl], trustedOrigins: [app.origin], assurance: 'phishing-resistant' });
  two = await gh.createApp({ name: 'Two-factor app', redirectUris: [app.callbackUrl], trustedOrigins: [app.origin], assurance: 'any-2' });
  one = await gh.createApp({ name: 'One-factor app', redirectUris: [app.callbackUrl], trustedOrigins: [app.origin] });
  manifest = await (await fetch(`${gh.baseUrl}/widget/manifest.json`)).json();
  app.setPage('/start.js', `const c = JSON.parse(document.getElementById('cfg').textContent);
new GatehouseSignIn(c).showSignInAndRedirect({ el: '#sign-in' });`);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await app?.close();
  await gh?.close();
});

/** The app's sign-in page under a strict CSP; img-src allows data: for the QR code. */
function embedded(clientId: string) {
  const { verifier, challenge } = pkce();
  const state = 'st-' + Math.random().toString(36).slice(2);
  const js = manifest.files['gatehouse-signin.js']!;
  const css = manifest.files['gatehouse-signin.css']!;
  const config = { issuer: gh.issuer, clientId, redirectUri: app.callbackUrl, scopes: ['openid', 'profile', 'email'], state, codeChallenge: challenge, codeChallengeMethod: 'S256' };
  const csp = `default-src 'none'; script-src 'self' ${gh.baseUrl}; style-src 'self' ${gh.baseUrl}; connect-src ${gh.baseUrl}; img-src 'self' data:; base-uri 'none'; form-action 'none'`;
  app.setPage('/', `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>App</title>
<link rel="stylesheet" href="${gh.baseUrl}${css.path}" integrity="${css.integrity}" crossorigin="anonymous">
<script src="${gh.baseUrl}${js.path}" integrity="${js.integrity}" crossorigin="anonymous"></script></head>
<body><main><div id="sign-in"></div></main>
<script type="application/json" id="cfg">${JSON.stringify(config)}</script><script src="/start.js"></script></body></html>`,
  { 'Content-Security-Policy': csp });
  return { verifier, state };
}

/** A platform authenticator with user verification, as a phone or laptop has (CDP WebAuthn domain). */
async function virtualAuthenticator(p: Page) {
  const cdp = await p.context().newCDPSession(p);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  return { cdp, authenticatorId };
}

/**
 * Records each navigator.credentials.get the widget makes ('conditional' or 'modal'), across navigations; on a URL
 * with ?no-autofill the page plays a browser without passkey autofill (isConditionalMediationAvailable false).
 */
async function recordGets(p: Page) {
  let wake = () => {};
  const gets = Object.assign([] as string[], {
    /** Resolves once `n` requests were made (an event, not a clock). */
    made: (n: number) => new Promise<void>((r) => { const check = () => (gets.length >= n ? r() : void (wake = check)); check(); }),
  });
  await p.exposeFunction('__ghGet', (m: string) => { gets.push(m); wake(); });
  await p.addInitScript(() => {
    if (!navigator.credentials) return; // about:blank
    const get = navigator.credentials.get.bind(navigator.credentials);
    navigator.credentials.get = (o?: CredentialRequestOptions) => { (window as any).__ghGet(o?.mediation ?? 'modal'); return get(o); };
    if (location.search.includes('no-autofill')) (PublicKeyCredential as any).isConditionalMediationAvailable = async () => false;
  });
  return gets;
}

async function redeem(p: Page, verifier: string, client: { clientId: string; clientSecret?: string }) {
  const url = new URL(p.url());
  const r = await token(gh, { grant_type: 'interaction_code', interaction_code: url.searchParams.get('interaction_code')!, code_verifier: verifier }, client);
  assert.equal(r.status, 200, JSON.stringify(r.json));
  return JSON.parse(Buffer.from(r.json.id_token.split('.')[1], 'base64url').toString()) as { amr: string[]; sub: string };
}

async function passwordStep(p: Page, user: string) {
  await p.goto(app.origin + '/');
  await p.getByLabel('Username').fill(user);
  await p.getByLabel('Password').fill(password);
  await p.getByRole('button', { name: 'Sign in', exact: true }).click();
}

test('our widget enrolls a passkey during sign-in, then signs in with it from the identify page without a password', async (t) => {
  await gh.createUser({ email: 'passkey@example.com', password, firstName: 'Pass', lastName: 'Key' });
  await withPage(browser, t, async (p, rec) => {
    const { cdp, authenticatorId } = await virtualAuthenticator(p);
    const first = embedded(strong.clientId);
    await passwordStep(p, 'passkey@example.com');
    // phishing-resistant: the list offers only WebAuthn; then the enroll view's button runs navigator.credentials.create.
    await p.getByRole('heading', { name: 'Set up a security method' }).waitFor();
    await p.getByRole('button', { name: 'Next' }).click();
    await p.getByRole('heading', { name: 'Set up a security key or biometric authenticator' }).waitFor();
    await Promise.all([p.waitForURL(/interaction_code=/), p.getByRole('button', { name: 'Set up' }).click()]);
    const claims = await redeem(p, first.verifier, strong);
    assert.ok(claims.amr.includes('hwk'), JSON.stringify(claims.amr));
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    assert.equal(credentials.length, 1);
    assert.equal(credentials[0]!.isResidentCredential, true, 'a discoverable credential: a passkey');

    // Second sign-in, as on a new visit (no IdP session), nothing typed: the identify page starts the conditional-
    // mediation request at once. Headless Chromium has no autofill list to pick from, but the virtual authenticator
    // answers a conditional request by itself with the passkey it holds, as a user's pick in the list would.
    const gets = await recordGets(p);
    await p.context().clearCookies();
    const second = embedded(one.clientId);
    await p.goto('about:blank');
    await Promise.all([p.waitForURL(/interaction_code=/), p.goto(app.origin + '/')]);
    assert.deepEqual([...gets], ['conditional']);
    const again = await redeem(p, second.verifier, one);
    assert.equal(again.sub, claims.sub);
    assert.ok(again.amr.includes('hwk') && !again.amr.includes('pwd'), JSON.stringify(again.amr));

    // A browser without passkey autofill: the "Sign in with a passkey" button runs the modal request.
    await p.context().clearCookies();
    const third = embedded(one.clientId);
    await p.goto(app.origin + '/?no-autofill');
    await Promise.all([p.waitForURL(/interaction_code=/), p.getByRole('button', { name: 'Sign in with a passkey' }).click()]);
    assert.deepEqual([...gets], ['conditional', 'modal']);
    assert.equal((await redeem(p, third.verifier, one)).sub, claims.sub);
    assert.deepEqual(rec.cspViolations, []);
    assert.deepEqual(rec.consoleErrors.filter((e) => !e.includes('404')), [], 'nothing but the callback page\'s favicon');
  });
});

test('the identify page offers passkeys in the username field; without autofill the passkey button says so when none answers, and the password still signs in', async (t) => {
  await gh.createUser({ email: 'nokey@example.com', password });
  await withPage(browser, t, async (p) => {
    await virtualAuthenticator(p); // holds no credential for this RP: a request ends in NotAllowedError, as when the user cancels
    const gets = await recordGets(p);
    embedded(one.clientId);
    await p.goto(app.origin + '/');
    const username = p.getByLabel('Username');
    await username.waitFor();
    assert.equal(await username.getAttribute('autocomplete'), 'username webauthn');
    await gets.made(1);
    assert.deepEqual([...gets], ['conditional'], 'the conditional request runs while the page shows');
    assert.equal(await p.locator('.gh-passkey').isHidden(), true, 'with autofill there is no button');

    await p.goto(app.origin + '/?no-autofill');
    await p.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await p.locator('.gh-alert').filter({ hasText: 'The request was cancelled or timed out. Try again.' }).waitFor();
    assert.deepEqual([...gets], ['conditional', 'modal']);
    await Promise.all([p.waitForURL(/interaction_code=/), passwordStep(p, 'nokey@example.com')]);
  });
});

test('our widget enrolls Google Authenticator from the QR code view: the key shown for copy gives the code that finishes sign-in', async (t) => {
  await gh.createUser({ email: 'totp-widget@example.com', password });
  await withPage(browser, t, async (p, rec) => {
    const { verifier } = embedded(two.clientId);
    await passwordStep(p, 'totp-widget@example.com');
    await p.getByRole('heading', { name: 'Set up a security method' }).waitFor();
    await p.getByLabel('Google Authenticator').check();
    await p.getByRole('button', { name: 'Next' }).click();
    await p.getByRole('heading', { name: 'Set up Google Authenticator' }).waitFor();
    const qr = p.getByRole('img', { name: 'QR code for your authenticator app' });
    assert.match((await qr.getAttribute('src')) ?? '', /^data:image\/png;base64,/);
    assert.ok(await qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), 'the QR code is drawn (CSP img-src data:)');
    const secret = (await p.locator('.gh-key').textContent())!.trim();
    assert.match(secret, /^[A-Z2-7]{16,}$/);
    const code = p.getByLabel('Enter code');
    assert.equal(await code.getAttribute('autocomplete'), 'one-time-code');
    assert.equal(await code.getAttribute('inputmode'), 'numeric');
    await code.fill('000000');
    await p.getByRole('button', { name: 'Verify' }).click();
    await p.locator('.gh-field-error').first().waitFor();
    await code.fill(codeAt(secret, gh.clock.now()));
    await Promise.all([p.waitForURL(/interaction_code=/), p.getByRole('button', { name: 'Verify' }).click()]);
    const claims = await redeem(p, verifier, two);
    assert.deepEqual([...claims.amr].sort(), ['mfa', 'otp', 'pwd']);
    assert.deepEqual(rec.cspViolations, []);
  });
});
