// Okta's own Express middleware, @okta/oidc-middleware v5 (a confidential web client on openid-client v5
// and passport), in a real Express app on its own origin: Chromium visits a protected route, is sent to
// Gatehouse's hosted sign-in page, signs in and comes back with `req.userContext` holding the tokens and
// userinfo; the middleware's own logout (POST /logout: revoke, then RP-initiated logout to the bare-origin
// post-logout URI) ends the Gatehouse session. Once as the middleware ships (no PKCE, against a web app with
// PKCE optional) and once with PKCE forced on in it (against an app that requires PKCE).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import session from 'express-session';
import type { Browser, Page } from 'playwright-core';
import type { ExpressOIDC as ExpressOIDCType } from '@okta/oidc-middleware';
import { launchBrowser, withPage } from '../../../widget/test/support/browser.js';
import { startServer, type TestServer } from '../support/start-server.js';

const require = createRequire(import.meta.url);
const { ExpressOIDC } = require('@okta/oidc-middleware') as { ExpressOIDC: typeof ExpressOIDCType };
// The middleware's own passport and openid-client (v5, nested under it), to force PKCE on in its strategy.
const fromMiddleware = createRequire(require.resolve('@okta/oidc-middleware'));
const passport = fromMiddleware('passport');
const { Strategy: OpenIdClientStrategy } = fromMiddleware('openid-client');

const password = 'a-long-password-1';
const email = 'express-oidc@example.com';

let gh: TestServer;
let browser: Browser;
let userId: string;

before(async () => {
  gh = await startServer();
  userId = (await gh.createUser({ email, password, firstName: 'Express', lastName: 'Oidc' })).id;
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await gh?.close();
});

interface RelyingParty {
  origin: string;
  /** What the middleware emitted as 'error' (e.g. a failed revocation at logout). */
  errors: unknown[];
  /** What reached the app's error handler (e.g. the middleware's callback refusing an error response). */
  appErrors: Array<{ error?: string; error_description?: string }>;
  close(): Promise<void>;
}

/**
 * A real Express app (the workspace's express 5; the middleware's router is its own express 4's) as the
 * middleware's README sets one up: express-session, `oidc.router`, a protected
 * route that prints `req.userContext` as JSON with the middleware's logout form, and a public home page (the
 * logout callback, `/`). It listens first (port 0 on loopback, addressed as localhost: another site than
 * Gatehouse on 127.0.0.1), registers its app in Gatehouse with the callback and the bare origin as the
 * post-logout URI, then builds the middleware with that appBaseUrl and waits for its discovery ('ready').
 * `pkce` forces PKCE on in the middleware's openid-client strategy (v5 hard-codes `usePKCE: false` and has
 * no option for it), and creates the app with PKCE required unless `appPkce` says otherwise.
 */
async function startRelyingParty(opts: { pkce: boolean; appPkce?: 'required' | 'optional' }): Promise<RelyingParty> {
  const app = express();
  const server: Server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const origin = `http://localhost:${(server.address() as AddressInfo).port}`;
  const client = await gh.createApp({
    name: 'Express OIDC app', redirectUris: [`${origin}/authorization-code/callback`], postLogoutRedirectUris: [origin],
    pkce: opts.appPkce ?? (opts.pkce ? 'required' : 'optional'),
  });
  const oidc = new ExpressOIDC({
    issuer: gh.issuer, client_id: client.clientId, client_secret: client.clientSecret!, appBaseUrl: origin,
    scope: 'openid profile email', testing: { disableHttpsCheck: true },
  });
  const errors: unknown[] = [];
  await once(oidc, 'ready'); // rejects on the middleware's 'error' (a failed discovery)
  oidc.on('error', (e) => errors.push(e)); // e.g. a failed revocation at logout
  if (opts.pkce) {
    // Passport is a process-wide singleton: the middleware registered its strategy as 'oidc' on it. The same
    // strategy again, built through openid-client's public constructor, with PKCE on: the method comes from
    // discovery's code_challenge_methods_supported.
    const shipped = passport._strategy('oidc');
    passport.use('oidc', new OpenIdClientStrategy({ client: shipped._client, params: shipped._params, sessionKey: shipped._key, usePKCE: true }, shipped._verify));
    assert.equal(passport._strategy('oidc')._usePKCE, 'S256');
  }
  app.use(session({ secret: 'express-oidc-test-secret', resave: false, saveUninitialized: false }));
  app.use(oidc.router as unknown as express.RequestHandler);
  app.get('/', (_req, res) => { res.type('html').send('<!doctype html><title>Home</title><h1>Home</h1>'); });
  app.get('/profile', oidc.ensureAuthenticated() as unknown as express.RequestHandler, (req, res) => {
    const json = JSON.stringify((req as unknown as { userContext: unknown }).userContext).replace(/</g, '\\u003c');
    res.type('html').send(`<!doctype html><title>Profile</title><pre id="user-context">${json.replace(/&/g, '&amp;')}</pre>
<form method="post" action="/logout"><button type="submit">Sign out</button></form>`);
  });
  const appErrors: RelyingParty['appErrors'] = [];
  app.use((err: { error?: string; error_description?: string }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    appErrors.push(err);
    res.status(res.statusCode >= 400 ? res.statusCode : 500).type('text').send('sign-in failed');
  });
  return {
    origin, errors, appErrors,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

const authorizeUrl = (u: URL) => u.href.startsWith(`${gh.issuer}/v1/authorize?`);

async function signInOnHostedPage(page: Page, rp: RelyingParty) {
  await page.getByLabel('Username').fill(email);
  await page.getByLabel('Password').fill(password);
  await Promise.all([page.waitForURL(`${rp.origin}/profile`), page.getByRole('button', { name: 'Sign in', exact: true }).click()]);
}

async function sessionStatus(page: Page) {
  return (await page.context().request.get(`${gh.baseUrl}/api/v1/sessions/me`)).status();
}

async function signInAndOut(t: { name: string }, opts: { pkce: boolean }) {
  const rp = await startRelyingParty(opts);
  try {
    await withPage(browser, t, async (page) => {
      // The protected route sends the browser through /login to Gatehouse's hosted sign-in page.
      await page.goto(`${rp.origin}/profile`);
      await page.waitForURL(authorizeUrl);
      const authorize = new URL(page.url()).searchParams;
      assert.equal(authorize.get('response_type'), 'code');
      assert.equal(authorize.get('redirect_uri'), `${rp.origin}/authorization-code/callback`);
      assert.ok(authorize.get('state'));
      if (opts.pkce) assert.equal(authorize.get('code_challenge_method'), 'S256');
      else assert.equal(authorize.get('code_challenge'), null, 'the middleware as shipped sends no PKCE');

      await signInOnHostedPage(page, rp);
      const ctx = JSON.parse((await page.locator('#user-context').textContent())!);
      assert.equal(ctx.tokens.token_type, 'Bearer');
      assert.ok(ctx.tokens.access_token);
      assert.ok(ctx.tokens.id_token);
      assert.equal(ctx.tokens.scope.split(' ').sort().join(' '), 'email openid profile');
      assert.equal(ctx.userinfo.sub, userId);
      assert.equal(ctx.userinfo.email, email);
      assert.equal(await sessionStatus(page), 200, 'signed in at Gatehouse too');
      const access = ctx.tokens.access_token as string;
      assert.equal((await fetch(`${gh.issuer}/v1/userinfo`, { headers: { authorization: `Bearer ${access}` } })).status, 200);

      // The middleware's logout: revokes its tokens, then Gatehouse's end-session endpoint, then back to the
      // bare origin's '/' (registered as http://localhost:port).
      await Promise.all([
        page.waitForURL((u) => u.href === `${rp.origin}/`),
        page.getByRole('button', { name: 'Sign out' }).click(),
      ]);
      await page.getByRole('heading', { name: 'Home' }).waitFor();
      assert.equal(await sessionStatus(page), 404, 'the Gatehouse session has ended');
      assert.equal((await fetch(`${gh.issuer}/v1/userinfo`, { headers: { authorization: `Bearer ${access}` } })).status, 401, 'the access token was revoked');
      assert.deepEqual(rp.errors, []);
      assert.deepEqual(rp.appErrors, []);

      // The protected route again: the hosted sign-in page, not a silent sign-in.
      await page.goto(`${rp.origin}/profile`);
      await page.waitForURL(authorizeUrl);
      await page.getByLabel('Username').waitFor();
      await signInOnHostedPage(page, rp);
      assert.equal(JSON.parse((await page.locator('#user-context').textContent())!).userinfo.sub, userId);
    });
  } finally {
    await rp.close();
  }
}

test('@okta/oidc-middleware as shipped (no PKCE) signs in through the hosted page into req.userContext, and its logout ends the Gatehouse session', async (t) => {
  await signInAndOut(t, { pkce: false });
});

test('@okta/oidc-middleware with PKCE forced on signs in against an app that requires PKCE, and its logout ends the Gatehouse session', async (t) => {
  await signInAndOut(t, { pkce: true });
});

test('@okta/oidc-middleware as shipped, against an app that requires PKCE, is refused at v1/authorize with invalid_request and iss', async (t) => {
  const rp = await startRelyingParty({ pkce: false, appPkce: 'required' });
  try {
    await withPage(browser, t, async (page) => {
      const [callback] = await Promise.all([
        page.waitForResponse((r) => r.url().startsWith(`${rp.origin}/authorization-code/callback?`)),
        page.goto(`${rp.origin}/profile`),
      ]);
      const back = new URL(callback.url()).searchParams;
      assert.equal(back.get('error'), 'invalid_request');
      assert.equal(back.get('error_description'), 'PKCE code challenge is required.');
      assert.equal(back.get('iss'), gh.issuer);
      assert.ok(back.get('state'));
      assert.equal(callback.status(), 401, 'the middleware turns the error response into a 401');
      assert.equal(rp.appErrors.length, 1);
      assert.equal(rp.appErrors[0].error, 'invalid_request');
      assert.equal(await sessionStatus(page), 404, 'nobody signed in');
    });
  } finally {
    await rp.close();
  }
});
