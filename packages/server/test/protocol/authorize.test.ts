// GET /v1/authorize with openid-client v6: single sign-on from the IdP session that an embedded sign-in
// opened, prompt=none with and without a session, and refusal of unregistered redirect URIs (a page, never
// a redirect). The hosted sign-in page itself is driven in Chromium by the browser tests.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as oidc from 'openid-client';
import { startServer, type TestServer } from '../support/start-server.js';
import { idx, interact, introspect } from '../support/idx-client.js';

let gh: TestServer;
const redirectUri = 'http://localhost:3000/callback';
const password = 'a-long-password-1';
let web: { clientId: string; clientSecret?: string };
let config: oidc.Configuration;

before(async () => {
  gh = await startServer();
  await gh.createUser({ email: 'sso@example.com', password, firstName: 'Single', lastName: 'Sign-On' });
  web = await gh.createApp({ name: 'web', redirectUris: [redirectUri] });
  config = await oidc.discovery(new URL(gh.issuer), web.clientId, web.clientSecret, undefined, { execute: [oidc.allowInsecureRequests] });
});
after(() => gh.close());

async function sessionCookie(): Promise<string> {
  const it = await interact(gh, { clientId: web.clientId, redirectUri });
  const a = await introspect(gh, { interactionHandle: it.interactionHandle });
  const done = await idx(a.json.remediation.value[0].href, { identifier: 'sso@example.com', credentials: { passcode: password }, stateHandle: a.json.stateHandle });
  return (done.headers.get('set-cookie') ?? '').split(';')[0]!;
}

async function authorizeUrl(extra: Record<string, string> = {}) {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri, scope: 'openid profile email', code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256', state, nonce, ...extra,
  });
  return { url, verifier, state, nonce };
}

test('with an IdP session from the embedded sign-in, authorize redirects at once with a code that openid-client redeems', async () => {
  const cookie = await sessionCookie();
  const a = await authorizeUrl();
  const res = await fetch(a.url, { headers: { cookie }, redirect: 'manual' });
  assert.equal(res.status, 302);
  const location = new URL(res.headers.get('location')!);
  assert.equal(location.origin + location.pathname, redirectUri);
  const tokens = await oidc.authorizationCodeGrant(config, location, { pkceCodeVerifier: a.verifier, expectedState: a.state, expectedNonce: a.nonce });
  assert.equal(tokens.claims()!.email, 'sso@example.com');
  const info = await oidc.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub);
  assert.equal(info.name, 'Single Sign-On');
});

test('prompt=none with a session returns a code; without one it returns login_required to the client', async () => {
  const cookie = await sessionCookie();
  const a = await authorizeUrl({ prompt: 'none' });
  const withSession = await fetch(a.url, { headers: { cookie }, redirect: 'manual' });
  assert.ok(new URL(withSession.headers.get('location')!).searchParams.get('code'));
  const b = await authorizeUrl({ prompt: 'none' });
  const without = await fetch(b.url, { redirect: 'manual' });
  assert.equal(without.status, 302);
  const loc = new URL(without.headers.get('location')!);
  assert.equal(loc.searchParams.get('error'), 'login_required');
  assert.equal(loc.searchParams.get('state'), b.state);
});

test('prompt=login ignores the session and serves the hosted sign-in page with a strict CSP', async () => {
  const cookie = await sessionCookie();
  const a = await authorizeUrl({ prompt: 'login' });
  const res = await fetch(a.url, { headers: { cookie }, redirect: 'manual' });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /text\/html/);
  const csp = res.headers.get('content-security-policy') ?? '';
  assert.match(csp, /script-src 'nonce-[^']+'/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  assert.ok(res.headers.get('referrer-policy'));
});

test('an unregistered or near-miss redirect_uri gets an error page, never a redirect', async () => {
  for (const bad of [redirectUri + '/', 'http://localhost:3001/callback', 'http://evil.example/callback', 'http://localhost:3000@evil.example/callback']) {
    const a = await authorizeUrl({ redirect_uri: bad });
    const res = await fetch(a.url, { redirect: 'manual' });
    assert.equal(res.status, 400, bad);
    assert.equal(res.headers.get('location'), null);
    assert.match(await res.text(), /redirect_uri/);
  }
});

test('authorize without PKCE or with plain returns invalid_request to the registered redirect URI', async () => {
  const a = await authorizeUrl();
  const noPkce = new URL(a.url);
  noPkce.searchParams.delete('code_challenge');
  const r1 = await fetch(noPkce, { redirect: 'manual' });
  assert.equal(new URL(r1.headers.get('location')!).searchParams.get('error'), 'invalid_request');
  const plain = new URL(a.url);
  plain.searchParams.set('code_challenge_method', 'plain');
  const r2 = await fetch(plain, { redirect: 'manual' });
  assert.equal(new URL(r2.headers.get('location')!).searchParams.get('error'), 'invalid_request');
});

test('an authorization code redeems once; the replay is invalid_grant and revokes the first tokens', async () => {
  const cookie = await sessionCookie();
  const a = await authorizeUrl();
  const res = await fetch(a.url, { headers: { cookie }, redirect: 'manual' });
  const location = new URL(res.headers.get('location')!);
  const tokens = await oidc.authorizationCodeGrant(config, location, { pkceCodeVerifier: a.verifier, expectedState: a.state, expectedNonce: a.nonce });
  await assert.rejects(oidc.authorizationCodeGrant(config, location, { pkceCodeVerifier: a.verifier, expectedState: a.state, expectedNonce: a.nonce }), (e: any) => e.error === 'invalid_grant');
  const info = await fetch(`${gh.issuer}/v1/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
  assert.equal(info.status, 401);
});

test('logout ends the IdP session and redirects only to a registered post-logout URI', async () => {
  const app = await gh.createApp({ name: 'logout', redirectUris: [redirectUri], postLogoutRedirectUris: ['http://localhost:3000/'] });
  const cfg = await oidc.discovery(new URL(gh.issuer), app.clientId, app.clientSecret, undefined, { execute: [oidc.allowInsecureRequests] });
  const cookie = await sessionCookie();
  const a = await authorizeUrl();
  const loc = new URL((await fetch(a.url, { headers: { cookie }, redirect: 'manual' })).headers.get('location')!);
  const t = await oidc.authorizationCodeGrant(config, loc, { pkceCodeVerifier: a.verifier, expectedState: a.state, expectedNonce: a.nonce });
  // An id token issued to `web` cannot send the browser to a URI registered only for another app.
  const foreign = oidc.buildEndSessionUrl(cfg, { id_token_hint: t.id_token!, post_logout_redirect_uri: 'http://evil.example/' });
  assert.equal((await fetch(foreign, { redirect: 'manual' })).status, 400);
  const unregistered = oidc.buildEndSessionUrl(config, { id_token_hint: t.id_token!, post_logout_redirect_uri: 'http://localhost:3000/' });
  assert.equal((await fetch(unregistered, { headers: { cookie }, redirect: 'manual' })).status, 400);
  const ok = `${gh.issuer}/v1/logout?` + new URLSearchParams({ post_logout_redirect_uri: 'http://localhost:3000/', client_id: app.clientId, state: 'bye' });
  const res = await fetch(ok, { headers: { cookie }, redirect: 'manual' });
  assert.equal(res.status, 302);
  assert.equal(res.headers.get('location'), 'http://localhost:3000/?state=bye');
  // The session is gone: prompt=none now answers login_required.
  const b = await authorizeUrl({ prompt: 'none' });
  const after = await fetch(b.url, { headers: { cookie }, redirect: 'manual' });
  assert.equal(new URL(after.headers.get('location')!).searchParams.get('error'), 'login_required');
});

test('the hosted page may be framed only by the origins registered for the app', async () => {
  const framed = await gh.createApp({ name: 'framed', redirectUris: [redirectUri], frameAncestors: ['https://portal.example.com'] });
  const cfg = await oidc.discovery(new URL(gh.issuer), framed.clientId, framed.clientSecret, undefined, { execute: [oidc.allowInsecureRequests] });
  const url = oidc.buildAuthorizationUrl(cfg, { redirect_uri: redirectUri, scope: 'openid', code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()), code_challenge_method: 'S256', state: 's' });
  const res = await fetch(url);
  assert.match(res.headers.get('content-security-policy') ?? '', /frame-ancestors https:\/\/portal\.example\.com/);
  assert.equal(res.headers.get('x-frame-options'), null);
});
