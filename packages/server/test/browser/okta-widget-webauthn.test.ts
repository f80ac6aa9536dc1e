// The real @okta/okta-signin-widget v7 with a security key (issue 9): on a phishing-resistant app the user enrolls
// a WebAuthn credential during sign-in (select-authenticator-enroll → enroll-authenticator with activationData),
// then signs in again with it (challenge-authenticator with challengeData; the widget calls get() on render). The
// authenticator is Chromium's DevTools Protocol virtual authenticator. The app page is on http://localhost:<port>
// (a trusted origin) and Gatehouse, on 127.0.0.1, runs with webauthnRpId 'localhost', so the RP ID fits the page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { decodeJwt } from 'jose';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, withPage } from '../../../widget/test/support/browser.js';
import { startServer, type TestServer } from '../support/start-server.js';
import { startAppPage, type AppPage } from '../support/app-page.js';
import { pkce, token } from '../support/idx-client.js';

const require = createRequire(import.meta.url);
const oktaDist = join(dirname(require.resolve('@okta/okta-signin-widget/package.json')), 'dist');
const password = 'a-long-password-1';

let gh: TestServer;
let app: AppPage;
let browser: Browser;

before(async () => {
  gh = await startServer({ config: { webauthnRpId: 'localhost' } });
  app = await startAppPage('localhost');
  app.setFile('/okta-sign-in.min.js', join(oktaDist, 'js/okta-sign-in.min.js'), 'text/javascript');
  app.setFile('/okta-sign-in.min.css', join(oktaDist, 'css/okta-sign-in.min.css'), 'text/css');
  app.setPage('/start.js', `const c = JSON.parse(document.getElementById('cfg').textContent);
new OktaSignIn(c).showSignInAndRedirect({ el: '#okta-login-container' });`);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await app?.close();
  await gh?.close();
});

function widgetPage(clientId: string) {
  const { verifier, challenge } = pkce();
  const state = 'st-' + Math.random().toString(36).slice(2);
  const config = { issuer: gh.issuer, clientId, redirectUri: app.callbackUrl, scopes: ['openid', 'profile', 'email'], state, codeChallenge: challenge, codeChallengeMethod: 'S256', language: 'en' };
  app.setPage('/', `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>App</title>
<link rel="stylesheet" href="/okta-sign-in.min.css"><script src="/okta-sign-in.min.js"></script></head>
<body><div id="okta-login-container"></div><script type="application/json" id="cfg">${JSON.stringify(config)}</script><script src="/start.js"></script></body></html>`);
  return { verifier, state };
}

async function virtualAuthenticator(p: Page) {
  const cdp = await p.context().newCDPSession(p);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  return { cdp, authenticatorId };
}

async function password1(p: Page, user: string, path = '/') {
  await p.goto(app.origin + path);
  await p.fill('input[name="identifier"]', user);
  await p.fill('input[name="credentials.passcode"]', password);
  await p.click('input[type="submit"], button[type="submit"]');
}

async function redeem(p: Page, verifier: string, client: { clientId: string; clientSecret?: string }) {
  const url = new URL(p.url());
  const r = await token(gh, { grant_type: 'interaction_code', interaction_code: url.searchParams.get('interaction_code')!, code_verifier: verifier, redirect_uri: app.callbackUrl }, client);
  assert.equal(r.status, 200, JSON.stringify(r.json));
  return decodeJwt(r.json.id_token) as { amr: string[]; sub: string };
}

for (const assurance of ['phishing-resistant', 'any-2'] as const) {
  test(`the Okta widget enrolls a security key during sign-in on a ${assurance} app, then signs in again with it`, async (t) => {
    const email = `okta-key-${assurance}@example.com`;
    await gh.createUser({ email, password, firstName: 'Key', lastName: 'User' });
    const client = await gh.createApp({ name: `Okta widget ${assurance}`, redirectUris: [app.callbackUrl], trustedOrigins: [app.origin], assurance });
    await withPage(browser, t, async (p, rec) => {
      const { cdp, authenticatorId } = await virtualAuthenticator(p);
      const first = widgetPage(client.clientId);
      await password1(p, email);
      // The list of security methods: "Set up" on the security key's row.
      await p.locator('[data-se="authenticator-enroll-select-authenticator"] [data-se="webauthn"] .select-factor, .authenticator-row[data-se="webauthn"] .select-factor, [data-se="webauthn"] a.button').first().click();
      // The enroll view: its "Set up" button runs navigator.credentials.create with the activationData.
      await p.locator('[data-se="webauthn-enroll"] .button, .webauthn-setup').first().waitFor();
      await Promise.all([p.waitForURL(/\/interactioncode\/callback\?/), p.locator('.webauthn-setup').click()]);
      const claims = await redeem(p, first.verifier, client);
      assert.ok(claims.amr.includes('hwk') && claims.amr.includes('pwd'), JSON.stringify(claims.amr));
      const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
      assert.equal(credentials.length, 1);
      assert.equal(credentials[0]!.rpId, 'localhost');

      // Again, as a new visit, in a browser without passkey autofill: the password, the list, then the challenge view calls
      // get() by itself (challengeData, allowCredentials from authenticatorEnrollments) and the widget redirects.
      await p.addInitScript(() => {
        if (location.search.includes('no-autofill')) (PublicKeyCredential as any).isConditionalMediationAvailable = async () => false;
      });
      await p.context().clearCookies();
      const second = widgetPage(client.clientId);
      await p.goto('about:blank');
      await password1(p, email, '/?no-autofill');
      // The user's one fitting enrollment is offered in the list (select-authenticator-authenticate); "Select" it.
      await Promise.all([p.waitForURL(/\/interactioncode\/callback\?/), p.locator('.authenticator-row .select-factor').first().click()]);
      const again = await redeem(p, second.verifier, client);
      assert.equal(again.sub, claims.sub);
      assert.ok(again.amr.includes('hwk') && again.amr.includes('pwd'), JSON.stringify(again.amr));
      const after = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
      assert.ok(after.credentials[0]!.signCount > credentials[0]!.signCount, 'the assertion was made by the enrolled credential');

      // The widget's own passkey autofill (challenge-webauthn-autofillui-authenticator): the virtual authenticator
      // answers its conditional request at once, nothing typed. On any-2 the password follows as the second factor.
      await p.context().clearCookies();
      const third = widgetPage(client.clientId);
      await p.goto('about:blank');
      if (assurance === 'phishing-resistant') {
        await Promise.all([p.waitForURL(/\/interactioncode\/callback\?/), p.goto(app.origin + '/')]);
      } else {
        await p.goto(app.origin + '/');
        await p.locator('[data-se="okta_password"] .select-factor, .authenticator-row .select-factor').first().click();
        await p.fill('input[name="credentials.passcode"]', password);
        await Promise.all([p.waitForURL(/\/interactioncode\/callback\?/), p.click('input[type="submit"], button[type="submit"]')]);
      }
      const autofill = await redeem(p, third.verifier, client);
      assert.equal(autofill.sub, claims.sub);
      assert.ok(autofill.amr.includes('hwk'), JSON.stringify(autofill.amr));
      assert.equal(autofill.amr.includes('pwd'), assurance === 'any-2', JSON.stringify(autofill.amr));
      assert.deepEqual(rec.cspViolations, []);
    });
  });
}
