// Refresh tokens rotate on every use; a rotated token presented again is invalid_grant and revokes its whole
// family (the newest refresh token and every access token die); under 50 concurrent uses exactly one
// succeeds; another client's refresh token, or one presented at another authorization server, is refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../support/start-server.js';
import { signIn } from '../support/sign-in.js';
import { token } from '../support/idx-client.js';

let gh: TestServer;
const redirectUri = 'http://localhost:3000/cb';
const password = 'a-long-password-1';
let web: { clientId: string; clientSecret?: string };

before(async () => {
  gh = await startServer();
  await gh.createUser({ email: 'rt@example.com', password });
  web = await gh.createApp({ name: 'web', redirectUris: [redirectUri] });
});
after(() => gh.close());

const fresh = () => signIn(gh, { ...web, redirectUri, username: 'rt@example.com', password, scope: 'openid offline_access' });
const refresh = (rt: string, app = web) => token(gh, { grant_type: 'refresh_token', refresh_token: rt }, app);
const userinfo = (at: string) => fetch(`${gh.issuer}/v1/userinfo`, { headers: { authorization: `Bearer ${at}` } });
const introspect = async (t: string) => (await fetch(`${gh.issuer}/v1/introspect`, {
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'Basic ' + Buffer.from(`${web.clientId}:${web.clientSecret}`).toString('base64') },
  body: new URLSearchParams({ token: t }),
})).text();

async function assertDead(access: string[], refreshTokens: string[]) {
  for (const at of access) {
    const r = await userinfo(at);
    assert.equal(r.status, 401);
    assert.match(r.headers.get('www-authenticate')!, /error="invalid_token"/);
    assert.equal(await introspect(at), '{"active":false}');
  }
  for (const rt of refreshTokens) assert.equal(await introspect(rt), '{"active":false}');
}

test('a refresh token rotates on every use: each answer carries a new refresh token, access token and ID token', async () => {
  const t = await fresh();
  const seen = new Set([t.refresh_token]);
  let current = t.refresh_token!;
  for (let i = 0; i < 3; i++) {
    const r = await refresh(current);
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('cache-control'), 'no-store');
    assert.ok(r.json.refresh_token && !seen.has(r.json.refresh_token), 'a new refresh token each time');
    seen.add(r.json.refresh_token);
    assert.ok(r.json.id_token, 'openid was granted, so refresh returns an ID token too');
    assert.equal(r.json.scope, 'openid offline_access');
    assert.equal((await userinfo(r.json.access_token)).status, 200);
    assert.equal(JSON.parse(await introspect(r.json.refresh_token)).active, true);
    assert.equal(await introspect(current), '{"active":false}', 'the used token is no longer active');
    current = r.json.refresh_token;
  }
});

test('reusing a rotated refresh token is invalid_grant and revokes the whole family', async () => {
  const t = await fresh();
  const a = await refresh(t.refresh_token!);
  const b = await refresh(a.json.refresh_token);
  assert.equal(b.status, 200);
  const reuse = await refresh(t.refresh_token!);
  assert.equal(reuse.status, 400);
  assert.equal(reuse.json.error, 'invalid_grant');
  assert.equal(reuse.headers.get('cache-control'), 'no-store');
  assert.equal((await refresh(b.json.refresh_token)).json.error, 'invalid_grant', 'the newest refresh token died with the family');
  await assertDead([t.access_token, a.json.access_token, b.json.access_token], [t.refresh_token!, a.json.refresh_token, b.json.refresh_token]);
});

test('reuse revokes only its own family: another sign-in of the same user keeps working', async () => {
  const mine = await fresh();
  const bystander = await fresh();
  await refresh(mine.refresh_token!);
  assert.equal((await refresh(mine.refresh_token!)).json.error, 'invalid_grant');
  assert.equal((await userinfo(bystander.access_token)).status, 200);
  assert.equal((await refresh(bystander.refresh_token!)).status, 200);
});

for (let trial = 1; trial <= 3; trial++) {
  test(`50 concurrent uses of one refresh token give exactly one success (trial ${trial})`, async () => {
    const t = await fresh();
    const rs = await Promise.all(Array.from({ length: 50 }, () => refresh(t.refresh_token!)));
    const ok = rs.filter((r) => r.status === 200);
    assert.equal(ok.length, 1);
    for (const r of rs.filter((r) => r.status !== 200)) {
      assert.equal(r.status, 400);
      assert.equal(r.json.error, 'invalid_grant');
    }
    // The losers presented an already-rotated token, which is reuse: the family (the winner's tokens too) is gone.
    assert.equal((await refresh(ok[0]!.json.refresh_token)).json.error, 'invalid_grant');
    await assertDead([t.access_token, ok[0]!.json.access_token], [ok[0]!.json.refresh_token]);
  });
}

test("another client's refresh token is refused, with client_secret_basic or client_secret_post, and stays usable by its owner", async () => {
  const other = await gh.createApp({ name: 'other', redirectUris: [redirectUri] });
  const t = await fresh();
  const stolen = await refresh(t.refresh_token!, other);
  assert.equal(stolen.status, 400);
  assert.equal(stolen.json.error, 'invalid_grant');
  const posted = await token(gh, { grant_type: 'refresh_token', refresh_token: t.refresh_token!, client_id: other.clientId, client_secret: other.clientSecret! });
  assert.equal(posted.json.error, 'invalid_grant');
  assert.equal((await refresh(t.refresh_token!)).status, 200, 'refusing a thief is not a reuse: the owner is unaffected');
});

test('a refresh token is refused at another authorization server', async () => {
  const t = await fresh();
  const res = await fetch(`${gh.baseUrl}/oauth2/v1/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'Basic ' + Buffer.from(`${web.clientId}:${web.clientSecret}`).toString('base64') },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: t.refresh_token! }),
  });
  assert.equal(res.status, 400);
  assert.equal((await res.json()).error, 'invalid_grant');
  assert.equal((await refresh(t.refresh_token!)).status, 200);
});

test('an unknown or oversized refresh token is invalid_grant; a missing one is invalid_request', async () => {
  for (const rt of ['unknown', 'x'.repeat(600)]) assert.equal((await refresh(rt)).json.error, 'invalid_grant', rt.slice(0, 10));
  const missing = await token(gh, { grant_type: 'refresh_token' }, web);
  assert.equal(missing.status, 400);
  assert.equal(missing.json.error, 'invalid_request');
});

test('a refresh may narrow the scope but not widen it', async () => {
  const t = await fresh();
  const narrowed = await token(gh, { grant_type: 'refresh_token', refresh_token: t.refresh_token!, scope: 'openid' }, web);
  assert.equal(narrowed.status, 200);
  assert.equal(narrowed.json.scope, 'openid');
  const wider = await token(gh, { grant_type: 'refresh_token', refresh_token: narrowed.json.refresh_token, scope: 'openid email' }, web);
  assert.equal(wider.status, 400);
  assert.equal(wider.json.error, 'invalid_scope');
});

test('without offline_access no refresh token is issued', async () => {
  const t = await signIn(gh, { ...web, redirectUri, username: 'rt@example.com', password, scope: 'openid' });
  assert.equal(t.refresh_token, undefined);
});
