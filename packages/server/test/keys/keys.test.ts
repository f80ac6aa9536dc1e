// Signing keys: JWKS without private members, cached with an ETag; rotation through the real CLI publishes
// the next key before it signs and keeps the old one until its tokens expire; a rotation with the wrong secret
// is refused before it touches anything; private keys are encrypted at rest; generated secrets are unique and
// long.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { runCli } from '../support/cli.js';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { startServer, type TestServer } from '../support/start-server.js';
import { newId, randomToken } from '../../src/random.js';

// start-server.ts boots every test server with this secret; the CLI must use the same one to open the keys.
const SECRET = 'test-secret-test-secret-test-secret-0123';
const bin = fileURLToPath(new URL('../../bin/gatehouse.js', import.meta.url));
const execFileAsync = promisify(execFile);
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

let gh: TestServer;
let svc: { clientId: string; clientSecret?: string };
before(async () => {
  gh = await startServer();
  svc = await gh.createApp({ name: 'svc', type: 'service' });
});
after(() => gh.close());

const basic = () => 'Basic ' + Buffer.from(`${svc.clientId}:${svc.clientSecret}`).toString('base64');
const jwksText = async () => (await fetch(`${gh.issuer}/v1/keys`)).text();
const jwks = async () => JSON.parse(await jwksText()) as { keys: Record<string, string>[] };
const cc = async () => (await (await fetch(`${gh.issuer}/v1/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic() }, body: 'grant_type=client_credentials' })).json()).access_token as string;
const kidOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[0]!, 'base64url').toString()).kid;
const introspect = async (token: string) => (await fetch(`${gh.issuer}/v1/introspect`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic() }, body: new URLSearchParams({ token }) })).json();
const cli = (args: string[], secret = SECRET) => runCli(args, { GATEHOUSE_SECRET: secret });

function assertNoPrivateMembers(keys: Record<string, string>[]) {
  for (const k of keys) {
    assert.equal(k.kty, 'RSA');
    assert.equal(k.alg, 'RS256');
    assert.equal(k.use, 'sig');
    for (const priv of PRIVATE_MEMBERS) assert.equal(k[priv], undefined, `${k.kid} has "${priv}"`);
  }
}

test('the JWKS publishes the active and next keys with no private members, with ETag, Cache-Control and 304', async () => {
  for (const base of [gh.issuer, `${gh.baseUrl}/oauth2`]) {
    const res = await fetch(`${base}/v1/keys`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type')!, /^application\/json/);
    const body = await res.json();
    assert.equal(body.keys.length, 2);
    assertNoPrivateMembers(body.keys);
    const etag = res.headers.get('etag')!;
    assert.match(etag, /^"[^"]+"$/);
    assert.match(res.headers.get('cache-control')!, /max-age=\d+/);
    const again = await fetch(`${base}/v1/keys`, { headers: { 'if-none-match': etag } });
    assert.equal(again.status, 304);
    assert.equal(again.headers.get('etag'), etag);
    assert.equal((await again.arrayBuffer()).byteLength, 0);
    const stale = await fetch(`${base}/v1/keys`, { headers: { 'if-none-match': '"not-the-etag"' } });
    assert.equal(stale.status, 200);
  }
});

test('keys rotate with a secret that cannot open the stored keys fails with a clear message and changes nothing', async () => {
  const before = await jwksText();
  const r = await cli(['keys', 'rotate', '--db', `sqlite:${gh.dbPath}`], 'another-secret-another-secret-another-00');
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /GATEHOUSE_SECRET/);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  await gh.gatehouse.deps.keys.refresh();
  assert.equal(await jwksText(), before);
});

test('gatehouse keys rotate: the next key signs, the old one stays published and its tokens still verify', async () => {
  const before = await jwks();
  const oldToken = await cc();
  const oldKid = kidOf(oldToken);
  assert.equal(before.keys[0]!.kid, oldKid, 'the active key is listed first');
  const nextKid = before.keys[1]!.kid;
  const r = await cli(['keys', 'rotate', '--db', `sqlite:${gh.dbPath}`]);
  assert.equal(r.status, 0, r.stderr);
  const listed = JSON.parse(r.stdout) as { kid: string; status: string }[];
  assert.equal(listed.find((k) => k.status === 'active')!.kid, nextKid);
  await gh.gatehouse.deps.keys.refresh();
  const after = await jwks();
  assertNoPrivateMembers(after.keys);
  assert.equal(after.keys[0]!.kid, nextKid, 'the published next key is now the active one');
  assert.ok(after.keys.some((k) => k.kid === oldKid), 'the retired key is still published');
  assert.equal(after.keys.length, 3, 'active, a freshly published next key, and the retired key');
  assert.equal(new Set(after.keys.map((k) => k.kid)).size, 3);
  const newToken = await cc();
  assert.equal(kidOf(newToken), nextKid);
  const set = createRemoteJWKSet(new URL(`${gh.issuer}/v1/keys`));
  await jwtVerify(oldToken, set, { issuer: gh.issuer, audience: 'api://default' });
  await jwtVerify(newToken, set, { issuer: gh.issuer, audience: 'api://default' });
  assert.equal((await introspect(oldToken)).active, true, 'the server still accepts tokens signed by the retired key');
  assert.equal((await introspect(newToken)).active, true);
});

test('private keys are stored encrypted (a JWE), never as a raw JWK', () => {
  const db = new Database(gh.dbPath, { readonly: true });
  const rows = db.prepare('SELECT kid, private_jwe FROM signing_keys').all() as { kid: string; private_jwe: string }[];
  db.close();
  assert.ok(rows.length >= 2);
  for (const r of rows) {
    assert.equal(r.private_jwe.split('.').length, 5, 'compact JWE');
    assert.ok(!r.private_jwe.includes('"d"') && !r.private_jwe.includes('"d":'));
    const header = JSON.parse(Buffer.from(r.private_jwe.split('.')[0]!, 'base64url').toString());
    assert.deepEqual(header, { alg: 'dir', enc: 'A256GCM' });
    // The ciphertext does not decode to a JWK either.
    assert.ok(!Buffer.from(r.private_jwe.split('.')[3]!, 'base64url').toString('latin1').includes('"kty"'));
  }
});

test('10 000 generated codes, handles and secrets have no collisions and at least 128 bits each', () => {
  // randomToken() makes codes, interaction handles, refresh tokens and client secrets; randomToken(16) the
  // random part of token ids. Each is base64url of CSPRNG bytes, so its length gives its entropy.
  for (const bytes of [undefined, 16]) {
    const seen = new Set<string>();
    for (let i = 0; i < 10_000; i++) {
      const t = bytes ? randomToken(bytes) : randomToken();
      assert.match(t, /^[A-Za-z0-9_-]+$/);
      assert.ok(Buffer.from(t, 'base64url').length * 8 >= 128, `${t} is shorter than 128 bits`);
      seen.add(t);
    }
    assert.equal(seen.size, 10_000);
  }
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
    assert.deepEqual(after.keys.map((k) => k.kid), before.keys.slice(0, 2).map((k) => k.kid));
  } finally {
    gh.clock.advance(-2 * 3600_000);
  }
});

test('a rotation under load: no token request fails, every token verifies against the final JWKS, and tokens after it carry the new kid', async () => {
  const nextKid = (await jwks()).keys[1]!.kid;
  let rotated = false;
  const issued: { token: string; afterRotation: boolean }[] = [];
  const workers = Array.from({ length: 8 }, async () => {
    let after = 0;
    while (after < 5) {
      const afterRotation = rotated;
      issued.push({ token: await cc(), afterRotation });
      if (afterRotation) after++;
    }
  });
  const rotation = (async () => {
    while (issued.length < 40) await new Promise((r) => setTimeout(r, 5));
    // The CLI runs as its own process while the requests go on (spawnSync would pause this process's server).
    await execFileAsync(process.execPath, [bin, 'keys', 'rotate', '--db', `sqlite:${gh.dbPath}`], { env: { ...process.env, GATEHOUSE_SECRET: SECRET } });
    await gh.gatehouse.deps.keys.refresh();
    rotated = true;
  })();
  await Promise.all([...workers, rotation]);
  assert.ok(issued.length >= 80, `${issued.length} tokens`);
  assert.ok(issued.every((t) => typeof t.token === 'string' && t.token.split('.').length === 3), 'every request got a token');
  const set = createRemoteJWKSet(new URL(`${gh.issuer}/v1/keys`));
  for (const t of issued) await jwtVerify(t.token, set, { issuer: gh.issuer, audience: 'api://default' });
  const late = issued.filter((t) => t.afterRotation);
  assert.ok(late.length > 0, 'some tokens were issued after the rotation');
  assert.ok(late.every((t) => kidOf(t.token) === nextKid), 'tokens after the rotation carry the new kid');
  assertNoPrivateMembers((await jwks()).keys);
});
