// /api/v1/sessions/me as Okta answers it, driven by the real okta-auth-js (session.get, session.exists,
// closeSession) with the IdP session cookie a sign-in set: 200 with the session while it lives, 404 E0000007
// without one, DELETE ends it (and single sign-on with it); CORS only for trusted origins.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { OktaAuth } from 'okta-auth-js-7';
import { startServer, type TestServer } from '../support/start-server.js';
import { idx, interact, introspect } from '../support/idx-client.js';
import { cliFor } from '../support/cli.js';

const redirectUri = 'http://localhost:3000/cb';
const trusted = 'http://localhost:3000';
const password = 'a-long-password-1';
let gh: TestServer;
let web: { clientId: string; clientSecret?: string };

before(async () => {
  gh = await startServer();
  web = await gh.createApp({ name: 'web', redirectUris: [redirectUri], trustedOrigins: [trusted] });
});
after(() => gh.close());

/** Signs in through IDX and returns the IdP session cookie the success set. */
async function sessionCookieFor(email: string) {
  const it = await interact(gh, { clientId: web.clientId, redirectUri });
  const a = (await introspect(gh, { interactionHandle: it.interactionHandle })).json;
  const r = await idx(a.remediation.value[0].href, { identifier: email, credentials: { passcode: password }, stateHandle: a.stateHandle });
  return r.headers.get('set-cookie')!.split(';')[0]!;
}

/** okta-auth-js with its HTTP client sending the cookie, as a browser would with credentials: 'include'. */
function oktaAuthWith(cookie: string) {
  const httpRequestClient = async (method: string, url: string, args: { headers?: Record<string, string>; data?: unknown }) => {
    const r = await fetch(url, { method, headers: { ...args.headers, cookie }, body: args.data ? JSON.stringify(args.data) : undefined });
    const responseText = await r.text();
    const responseJSON = responseText ? JSON.parse(responseText) : undefined;
    const result = { status: r.status, responseText, responseJSON, responseType: responseJSON ? 'json' : undefined, headers: Object.fromEntries(r.headers) };
    if (!r.ok) throw result;
    return result;
  };
  return new OktaAuth({ issuer: gh.issuer, clientId: web.clientId, redirectUri, httpRequestClient: httpRequestClient as never });
}

test('okta-auth-js sees the live session, then ends it with closeSession; single sign-on ends with it', async () => {
  const user = await gh.createUser({ email: 'me@example.com', password, firstName: 'Me' });
  const cookie = await sessionCookieFor('me@example.com');
  const auth = oktaAuthWith(cookie);
  assert.equal(await auth.session.exists(), true);
  const s = await auth.session.get();
  assert.equal(s.status, 'ACTIVE');
  assert.equal((s as unknown as { userId: string }).userId, user.id);
  assert.equal((s as unknown as { login: string }).login, 'me@example.com');
  assert.deepEqual((s as unknown as { amr: string[] }).amr, ['pwd']);
  assert.ok(Date.parse((s as unknown as { expiresAt: string }).expiresAt) > Date.now());

  const del = await fetch(`${gh.baseUrl}/api/v1/sessions/me`, { method: 'DELETE', headers: { cookie } });
  assert.equal(del.status, 204);
  assert.match(del.headers.get('set-cookie')!, /^gh_sid=; .*Max-Age=0/);
  assert.equal(await auth.session.exists(), false);
  const none = await fetch(`${gh.baseUrl}/api/v1/sessions/me`, { headers: { cookie } });
  assert.equal(none.status, 404);
  assert.equal((await none.json()).errorCode, 'E0000007');

  const sso = await fetch(`${gh.issuer}/v1/authorize?` + new URLSearchParams({ client_id: web.clientId, redirect_uri: redirectUri, response_type: 'code', scope: 'openid', state: 's', code_challenge: 'x'.repeat(43), code_challenge_method: 'S256', prompt: 'none' }), { headers: { cookie }, redirect: 'manual' });
  assert.equal(new URL(sso.headers.get('location')!).searchParams.get('error'), 'login_required', 'the ended session no longer signs in silently');
});

test('closeSession through okta-auth-js ends the session', async () => {
  await gh.createUser({ email: 'close@example.com', password });
  const cookie = await sessionCookieFor('close@example.com');
  const auth = oktaAuthWith(cookie);
  assert.equal(await auth.session.exists(), true);
  await auth.closeSession();
  assert.equal(await auth.session.exists(), false);
});

test('no cookie, a forged cookie, or a deactivated user: 404 E0000007', async () => {
  for (const cookie of [undefined, 'gh_sid=forged', 'gh_sid=' + 'x'.repeat(500)]) {
    const r = await fetch(`${gh.baseUrl}/api/v1/sessions/me`, { headers: cookie ? { cookie } : {} });
    assert.equal(r.status, 404, String(cookie).slice(0, 20));
    assert.equal((await r.json()).errorCode, 'E0000007');
    assert.equal(r.headers.get('cache-control'), 'no-store');
  }
  await gh.createUser({ email: 'gone@example.com', password });
  const cookie = await sessionCookieFor('gone@example.com');
  assert.equal((await cliFor(gh)('user', 'deactivate', '--email', 'gone@example.com')).status, 0);
  assert.equal((await fetch(`${gh.baseUrl}/api/v1/sessions/me`, { headers: { cookie } })).status, 404);
});

test('CORS with credentials for a trusted origin only, and DELETE allowed in the preflight', async () => {
  const pre = await fetch(`${gh.baseUrl}/api/v1/sessions/me`, { method: 'OPTIONS', headers: { origin: trusted, 'access-control-request-method': 'DELETE' } });
  assert.equal(pre.headers.get('access-control-allow-origin'), trusted);
  assert.equal(pre.headers.get('access-control-allow-credentials'), 'true');
  assert.match(pre.headers.get('access-control-allow-methods')!, /DELETE/);
  const other = await fetch(`${gh.baseUrl}/api/v1/sessions/me`, { headers: { origin: 'https://evil.example' } });
  assert.equal(other.headers.get('access-control-allow-origin'), null);
  assert.equal((await fetch(`${gh.baseUrl}/api/v1/sessions/me`, { method: 'PUT' })).status, 405);
});
