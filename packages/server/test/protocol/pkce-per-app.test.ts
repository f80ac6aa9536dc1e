// PKCE per app as Okta does it (RFC 7636; RFC 9700 §2.1.1): public clients always need a challenge; a
// confidential web app may leave it out of v1/authorize (its default), and its code then redeems only with
// its own credentials and no verifier. `state` may be left out when a challenge binds the response.
// Authorization responses name the issuer (RFC 9207). Redirect URIs compare after normalising scheme, host
// and an empty path, and otherwise exactly.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../support/start-server.js';
import { idx, interact, introspect, pkce, token } from '../support/idx-client.js';

let gh: TestServer;
const redirectUri = 'http://localhost:3000/callback';
const password = 'a-long-password-1';
let web: { clientId: string; clientSecret?: string };
let strict: { clientId: string; clientSecret?: string };
let spa: { clientId: string; clientSecret?: string };

before(async () => {
  gh = await startServer();
  await gh.createUser({ email: 'pkce@example.com', password });
  web = await gh.createApp({ name: 'web', redirectUris: [redirectUri], postLogoutRedirectUris: ['http://localhost:3000'] });
  strict = await gh.createApp({ name: 'strict', redirectUris: [redirectUri], pkce: 'required' });
  spa = await gh.createApp({ name: 'spa', type: 'spa', redirectUris: [redirectUri] });
});
after(() => gh.close());

/** An IdP session cookie from an embedded password sign-in. */
async function sessionCookie(): Promise<string> {
  const it = await interact(gh, { clientId: web.clientId, redirectUri });
  const a = await introspect(gh, { interactionHandle: it.interactionHandle });
  const done = await idx(a.json.remediation.value[0].href, { identifier: 'pkce@example.com', credentials: { passcode: password }, stateHandle: a.json.stateHandle });
  return (done.headers.get('set-cookie') ?? '').split(';')[0]!;
}

async function authorize(clientId: string, params: Record<string, string>, cookie?: string) {
  const url = new URL(`${gh.issuer}/v1/authorize`);
  const all: Record<string, string> = { client_id: clientId, redirect_uri: redirectUri, response_type: 'code', scope: 'openid email', ...params };
  for (const [k, v] of Object.entries(all)) url.searchParams.set(k, v);
  const res = await fetch(url, { redirect: 'manual', headers: cookie ? { cookie } : {} });
  return { status: res.status, location: res.headers.get('location'), text: await res.text() };
}

test('a web app signs in without PKCE: the code redeems with its secret and no verifier', async () => {
  const cookie = await sessionCookie();
  const r = await authorize(web.clientId, { state: 'st-1', nonce: 'n-1' }, cookie);
  assert.equal(r.status, 302);
  const back = new URL(r.location!);
  assert.equal(back.searchParams.get('state'), 'st-1');
  const code = back.searchParams.get('code')!;
  const t = await token(gh, { grant_type: 'authorization_code', code, redirect_uri: redirectUri }, web);
  assert.equal(t.status, 200, JSON.stringify(t.json));
  assert.ok(t.json.id_token && t.json.access_token);
});

test('a code issued without a challenge is refused with a verifier, or to a client that does not authenticate', async () => {
  const cookie = await sessionCookie();
  const withVerifier = new URL((await authorize(web.clientId, { state: 's' }, cookie)).location!).searchParams.get('code')!;
  const t1 = await token(gh, { grant_type: 'authorization_code', code: withVerifier, redirect_uri: redirectUri, code_verifier: pkce().verifier }, web);
  assert.equal(t1.json.error, 'invalid_grant');
  const anonymous = new URL((await authorize(web.clientId, { state: 's' }, cookie)).location!).searchParams.get('code')!;
  const t2 = await token(gh, { grant_type: 'authorization_code', code: anonymous, redirect_uri: redirectUri, client_id: web.clientId });
  assert.equal(t2.status, 401);
  assert.equal(t2.json.error, 'invalid_client');
});

test('a web app that sends a challenge must send S256 and then redeem with the verifier', async () => {
  const cookie = await sessionCookie();
  const plain = await authorize(web.clientId, { state: 's', code_challenge: 'x'.repeat(43), code_challenge_method: 'plain' }, cookie);
  assert.equal(new URL(plain.location!).searchParams.get('error'), 'invalid_request');
  const p = pkce();
  const r = await authorize(web.clientId, { state: 's', code_challenge: p.challenge, code_challenge_method: 'S256' }, cookie);
  const code = new URL(r.location!).searchParams.get('code')!;
  const missing = await token(gh, { grant_type: 'authorization_code', code, redirect_uri: redirectUri }, web);
  assert.equal(missing.json.error, 'invalid_grant', 'the verifier cannot be dropped once a challenge was sent');
  const again = new URL((await authorize(web.clientId, { state: 's', code_challenge: p.challenge, code_challenge_method: 'S256' }, cookie)).location!).searchParams.get('code')!;
  const ok = await token(gh, { grant_type: 'authorization_code', code: again, redirect_uri: redirectUri, code_verifier: p.verifier }, web);
  assert.equal(ok.status, 200);
});

test('public clients, web apps set to --pkce required, and v1/interact always require a challenge', async () => {
  for (const app of [spa, strict]) {
    const r = await authorize(app.clientId, { state: 's' });
    assert.equal(r.status, 302);
    const back = new URL(r.location!);
    assert.equal(back.searchParams.get('error'), 'invalid_request');
    assert.match(back.searchParams.get('error_description')!, /PKCE/);
  }
  const res = await fetch(`${gh.issuer}/v1/interact`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: web.clientId, redirect_uri: redirectUri, scope: 'openid', state: 's' }),
  });
  assert.equal(res.status, 400);
  assert.equal((await res.json()).error, 'invalid_request');
});

test('state may be left out of v1/authorize with a PKCE challenge, not without one', async () => {
  const cookie = await sessionCookie();
  const p = pkce();
  const withPkce = await authorize(spa.clientId, { code_challenge: p.challenge, code_challenge_method: 'S256' }, cookie);
  const back = new URL(withPkce.location!);
  assert.ok(back.searchParams.get('code'));
  assert.equal(back.searchParams.has('state'), false, 'no state is invented');
  const withoutPkce = new URL((await authorize(web.clientId, {}, cookie)).location!);
  assert.equal(withoutPkce.searchParams.get('error'), 'invalid_request');
  assert.match(withoutPkce.searchParams.get('error_description')!, /state/);
});

test('authorization responses carry iss (RFC 9207), on success and on error, and discovery says so', async () => {
  const cookie = await sessionCookie();
  const ok = new URL((await authorize(web.clientId, { state: 's' }, cookie)).location!);
  assert.equal(ok.searchParams.get('iss'), gh.issuer);
  const err = new URL((await authorize(web.clientId, { state: 's', prompt: 'none' })).location!);
  assert.equal(err.searchParams.get('error'), 'login_required');
  assert.equal(err.searchParams.get('iss'), gh.issuer);
  const meta = await (await fetch(`${gh.issuer}/.well-known/openid-configuration`)).json();
  assert.equal(meta.authorization_response_iss_parameter_supported, true);
});

test('redirect URIs match after normalising scheme, host and an empty path, and only so', async () => {
  const cookie = await sessionCookie();
  const same = await authorize(web.clientId, { state: 's', redirect_uri: 'HTTP://LOCALHOST:3000/callback' }, cookie);
  assert.equal(same.status, 302, 'scheme and host compare without case');
  for (const near of ['http://localhost:3000/Callback', 'http://localhost:3000/callback/', 'http://localhost:3000/callback?x=1',
    'http://localhost:3000/%63allback', 'http://localhost:3000/x/../callback', 'http://localhost:3001/callback']) {
    const r = await authorize(web.clientId, { state: 's', redirect_uri: near }, cookie);
    assert.equal(r.status, 400, near);
    assert.equal(r.location, null, `never redirected to ${near}`);
  }
});

test('a bare-origin post-logout URI is registered and matched with or without the slash', async () => {
  for (const target of ['http://localhost:3000', 'http://localhost:3000/']) {
    const cookie = await sessionCookie();
    const code = new URL((await authorize(web.clientId, { state: 's' }, cookie)).location!).searchParams.get('code')!;
    const t = await token(gh, { grant_type: 'authorization_code', code, redirect_uri: redirectUri }, web);
    const url = new URL(`${gh.issuer}/v1/logout`);
    url.searchParams.set('id_token_hint', t.json.id_token);
    url.searchParams.set('post_logout_redirect_uri', target);
    url.searchParams.set('state', 'bye');
    const res = await fetch(url, { redirect: 'manual', headers: { cookie } });
    assert.equal(res.status, 302, target);
    assert.equal(new URL(res.headers.get('location')!).searchParams.get('state'), 'bye');
  }
  const other = await fetch(`${gh.issuer}/v1/logout?client_id=${web.clientId}&post_logout_redirect_uri=${encodeURIComponent('http://localhost:3000/elsewhere')}`, { redirect: 'manual' });
  assert.equal(other.status, 400);
});
