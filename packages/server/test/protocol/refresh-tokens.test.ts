// Refresh tokens rotate on every use; a rotated token presented again revokes its whole family; under 50
// concurrent uses exactly one succeeds; another client's refresh token is refused.
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
const userinfo = (at: string) => fetch(`${gh.issuer}/v1/userinfo`, { headers: { authorization: `Bearer ${at}` } }).then((r) => r.status);

test('a refresh token rotates on every use and the new one works', async () => {
  const t = await fresh();
  const a = await refresh(t.refresh_token!);
  assert.equal(a.status, 200);
  assert.notEqual(a.json.refresh_token, t.refresh_token);
  assert.ok(a.json.id_token, 'openid was granted, so refresh returns an ID token too');
  const b = await refresh(a.json.refresh_token);
  assert.equal(b.status, 200);
});

test('reusing a rotated refresh token is invalid_grant and revokes the whole family', async () => {
  const t = await fresh();
  const a = await refresh(t.refresh_token!);
  const reuse = await refresh(t.refresh_token!);
  assert.equal(reuse.status, 400);
  assert.equal(reuse.json.error, 'invalid_grant');
  assert.equal((await refresh(a.json.refresh_token)).json.error, 'invalid_grant', 'the newest refresh token died with the family');
  assert.equal(await userinfo(a.json.access_token), 401);
  assert.equal(await userinfo(t.access_token), 401);
});

for (let trial = 1; trial <= 3; trial++) {
  test(`50 concurrent uses of one refresh token give exactly one success (trial ${trial})`, async () => {
    const t = await fresh();
    const rs = await Promise.all(Array.from({ length: 50 }, () => refresh(t.refresh_token!)));
    assert.equal(rs.filter((r) => r.status === 200).length, 1);
    assert.ok(rs.every((r) => r.status === 200 || r.json.error === 'invalid_grant'));
  });
}

test("another client's refresh token is refused and stays usable by its owner", async () => {
  const other = await gh.createApp({ name: 'other', redirectUris: [redirectUri] });
  const t = await fresh();
  const stolen = await refresh(t.refresh_token!, other);
  assert.equal(stolen.json.error, 'invalid_grant');
  assert.equal((await refresh(t.refresh_token!)).status, 200);
});

test('a refresh may narrow the scope but not widen it', async () => {
  const t = await fresh();
  const narrowed = await token(gh, { grant_type: 'refresh_token', refresh_token: t.refresh_token!, scope: 'openid' }, web);
  assert.equal(narrowed.status, 200);
  assert.equal(narrowed.json.scope, 'openid');
  const wider = await token(gh, { grant_type: 'refresh_token', refresh_token: narrowed.json.refresh_token, scope: 'openid email' }, web);
  assert.equal(wider.json.error, 'invalid_scope');
});
