// Signing keys: JWKS without private members, cached with an ETag; rotation through the real CLI publishes
// the next key before it signs and keeps the old one until its tokens expire; private keys are encrypted at
// rest; generated secrets are unique and long.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { startServer, type TestServer } from '../support/start-server.js';
import { newId, randomToken } from '../../src/random.js';

const SECRET = 'test-secret-test-secret-test-secret-0123';
let gh: TestServer;
let svc: { clientId: string; clientSecret?: string };
before(async () => {
  gh = await startServer();
  svc = await gh.createApp({ name: 'svc', type: 'service' });
});
after(() => gh.close());

const jwks = async () => (await fetch(`${gh.issuer}/v1/keys`)).json() as Promise<{ keys: Record<string, string>[] }>;
const cc = async () => (await (await fetch(`${gh.issuer}/v1/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'Basic ' + Buffer.from(`${svc.clientId}:${svc.clientSecret}`).toString('base64') }, body: 'grant_type=client_credentials' })).json()).access_token as string;
const kidOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[0]!, 'base64url').toString()).kid;

test('the JWKS publishes the active and next keys with no private members, with ETag, Cache-Control and 304', async () => {
  const res = await fetch(`${gh.issuer}/v1/keys`);
  const body = await res.json();
  assert.equal(body.keys.length, 2);
  for (const k of body.keys) {
    assert.equal(k.kty, 'RSA');
    assert.equal(k.alg, 'RS256');
    for (const priv of ['d', 'p', 'q', 'dp', 'dq', 'qi']) assert.equal(k[priv], undefined);
  }
  const etag = res.headers.get('etag')!;
  assert.match(res.headers.get('cache-control')!, /max-age=\d+/);
  const again = await fetch(`${gh.issuer}/v1/keys`, { headers: { 'if-none-match': etag } });
  assert.equal(again.status, 304);
});

test('gatehouse keys rotate: the next key signs, the old one stays published and its tokens still verify', async () => {
  const before = await jwks();
  const oldToken = await cc();
  const oldKid = kidOf(oldToken);
  assert.equal(before.keys[0]!.kid, oldKid, 'the active key is listed first');
  const nextKid = before.keys[1]!.kid;
  execFileSync(process.execPath, ['packages/server/bin/gatehouse.js', 'keys', 'rotate', '--db', `sqlite:${gh.dbPath}`], { env: { ...process.env, GATEHOUSE_SECRET: SECRET } });
  await gh.gatehouse.deps.keys.refresh();
  const after = await jwks();
  assert.equal(after.keys[0]!.kid, nextKid, 'the published next key is now the active one');
  assert.ok(after.keys.some((k) => k.kid === oldKid), 'the retired key is still published');
  assert.equal(after.keys.length, 3);
  const newToken = await cc();
  assert.equal(kidOf(newToken), nextKid);
  const set = createRemoteJWKSet(new URL(`${gh.issuer}/v1/keys`));
  await jwtVerify(oldToken, set, { issuer: gh.issuer });
  await jwtVerify(newToken, set, { issuer: gh.issuer });
  const intro = await (await fetch(`${gh.issuer}/v1/introspect`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'Basic ' + Buffer.from(`${svc.clientId}:${svc.clientSecret}`).toString('base64') }, body: new URLSearchParams({ token: oldToken }) })).json();
  assert.equal(intro.active, true);
});

test('private keys are stored encrypted (a JWE), never as a raw JWK', () => {
  const db = new Database(gh.dbPath, { readonly: true });
  const rows = db.prepare('SELECT private_jwe FROM signing_keys').all() as { private_jwe: string }[];
  db.close();
  assert.ok(rows.length >= 2);
  for (const r of rows) {
    assert.equal(r.private_jwe.split('.').length, 5, 'compact JWE');
    assert.ok(!r.private_jwe.includes('"d"'));
    assert.equal(JSON.parse(Buffer.from(r.private_jwe.split('.')[0]!, 'base64url').toString()).enc, 'A256GCM');
  }
});

test('10 000 generated codes, handles and secrets: no collisions, at least 128 bits each', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 10_000; i++) seen.add(randomToken());
  assert.equal(seen.size, 10_000);
  const t = randomToken();
  assert.ok(Buffer.from(t, 'base64url').length * 8 >= 128);
  const ids = new Set(Array.from({ length: 10_000 }, () => newId('00u')));
  assert.equal(ids.size, 10_000);
});

test('a retired key leaves the JWKS once every token it signed has expired (test clock)', async () => {
  const before = await jwks();
  assert.equal(before.keys.length, 3, 'active, next and the key retired by the rotation test');
  gh.clock.advance(2 * 3600_000);
  try {
    await gh.gatehouse.deps.keys.refresh();
    const after = await jwks();
    assert.equal(after.keys.length, 2);
  } finally {
    gh.clock.advance(-2 * 3600_000);
  }
});
