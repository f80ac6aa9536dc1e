// grant_type=interaction_code: one-time, 60 seconds, bound to client and interaction, PKCE-checked.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../support/start-server.js';
import { signInForCode, token } from '../support/idx-client.js';

let gh: TestServer;
const redirectUri = 'http://localhost:3000/interactioncode/callback';
const password = 'a-long-password-1';
let web: { clientId: string; clientSecret?: string };
let spa: { clientId: string };

before(async () => {
  gh = await startServer();
  await gh.createUser({ email: 'grace@example.com', password, firstName: 'Grace', lastName: 'Hopper' });
  web = await gh.createApp({ name: 'web', redirectUris: [redirectUri] });
  spa = await gh.createApp({ name: 'spa', type: 'spa', redirectUris: [redirectUri] });
});
after(() => gh.close());

const codeFor = (clientId: string, scope = 'openid profile email offline_access') =>
  signInForCode(gh, { clientId, redirectUri, username: 'grace@example.com', password, scope });

test('openid profile email offline_access give an ID token, an access token and a refresh token, with no state member', async () => {
  const s = await codeFor(web.clientId);
  const r = await token(gh, { grant_type: 'interaction_code', interaction_code: s.code, code_verifier: s.verifier, redirect_uri: redirectUri }, web);
  assert.equal(r.status, 200, JSON.stringify(r.json));
  assert.deepEqual(Object.keys(r.json).sort(), ['access_token', 'expires_in', 'id_token', 'refresh_token', 'scope', 'token_type']);
  assert.equal(r.json.token_type, 'Bearer');
  assert.equal(r.json.scope, 'openid profile email offline_access');
  assert.equal(r.headers.get('cache-control'), 'no-store');
  const id = JSON.parse(Buffer.from(r.json.id_token.split('.')[1], 'base64url').toString());
  assert.equal(id.nonce, s.nonce);
  assert.equal(id.aud, web.clientId);
});

test('a public client redeems with PKCE only', async () => {
  const s = await codeFor(spa.clientId, 'openid');
  const r = await token(gh, { grant_type: 'interaction_code', interaction_code: s.code, code_verifier: s.verifier, client_id: spa.clientId });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  assert.equal(r.json.refresh_token, undefined);
});

test('an interaction code redeems once; the second attempt is invalid_grant and the first tokens are revoked', async () => {
  const s = await codeFor(web.clientId);
  const form = { grant_type: 'interaction_code', interaction_code: s.code, code_verifier: s.verifier };
  const first = await token(gh, form, web);
  assert.equal(first.status, 200);
  const second = await token(gh, form, web);
  assert.equal(second.status, 400);
  assert.equal(second.json.error, 'invalid_grant');
  const info = await fetch(`${gh.issuer}/v1/userinfo`, { headers: { authorization: `Bearer ${first.json.access_token}` } });
  assert.equal(info.status, 401);
  const refreshed = await token(gh, { grant_type: 'refresh_token', refresh_token: first.json.refresh_token }, web);
  assert.equal(refreshed.json.error, 'invalid_grant');
});

test('a code redeemed without a verifier, with a wrong verifier, or by another client gives no tokens', async () => {
  const other = await gh.createApp({ name: 'other', redirectUris: [redirectUri] });
  const s1 = await codeFor(web.clientId);
  const none = await token(gh, { grant_type: 'interaction_code', interaction_code: s1.code }, web);
  assert.equal(none.status, 400);
  assert.equal(none.json.error, 'invalid_request');
  const s2 = await codeFor(web.clientId);
  const wrong = await token(gh, { grant_type: 'interaction_code', interaction_code: s2.code, code_verifier: 'w'.repeat(43) }, web);
  assert.deepEqual(wrong.json, { error: 'invalid_grant', error_description: 'PKCE verification failed.' });
  const s3 = await codeFor(web.clientId);
  const stolen = await token(gh, { grant_type: 'interaction_code', interaction_code: s3.code, code_verifier: s3.verifier }, other);
  assert.equal(stolen.status, 400);
  assert.equal(stolen.json.error, 'invalid_grant');
  assert.equal(stolen.json.access_token, undefined);
});

test('a redirect_uri that differs from the one at /interact is invalid_grant', async () => {
  const s = await codeFor(web.clientId);
  const r = await token(gh, { grant_type: 'interaction_code', interaction_code: s.code, code_verifier: s.verifier, redirect_uri: redirectUri + 'x' }, web);
  assert.equal(r.json.error, 'invalid_grant');
});

test('an interaction code is dead after 60 seconds (test clock)', async () => {
  const s = await codeFor(web.clientId);
  gh.clock.advance(61_000);
  try {
    const r = await token(gh, { grant_type: 'interaction_code', interaction_code: s.code, code_verifier: s.verifier }, web);
    assert.equal(r.status, 400);
    assert.equal(r.json.error, 'invalid_grant');
  } finally {
    gh.clock.advance(-61_000);
  }
});

test('a confidential client with no secret or a wrong one is 401 invalid_client, with WWW-Authenticate when Basic was used', async () => {
  const s = await codeFor(web.clientId);
  const noSecret = await token(gh, { grant_type: 'interaction_code', interaction_code: s.code, code_verifier: s.verifier, client_id: web.clientId });
  assert.equal(noSecret.status, 401);
  assert.equal(noSecret.json.error, 'invalid_client');
  const wrong = await token(gh, { grant_type: 'interaction_code', interaction_code: s.code, code_verifier: s.verifier }, { clientId: web.clientId, clientSecret: 'nope' });
  assert.equal(wrong.status, 401);
  assert.match(wrong.headers.get('www-authenticate') ?? '', /^Basic /);
});

for (let trial = 1; trial <= 3; trial++) {
  test(`50 concurrent redemptions of one interaction code give exactly one success (trial ${trial})`, async () => {
    const s = await codeFor(web.clientId);
    const form = { grant_type: 'interaction_code', interaction_code: s.code, code_verifier: s.verifier };
    const rs = await Promise.all(Array.from({ length: 50 }, () => token(gh, form, web)));
    assert.equal(rs.filter((r) => r.status === 200).length, 1);
    assert.equal(rs.filter((r) => r.status === 400 && r.json.error === 'invalid_grant').length, 49);
  });
}
