// After a restart on the same SQLite file: JWKS and discovery byte-identical, live tokens still live, revoked
// tokens still revoked, rotated refresh tokens still refused, locks kept. Two instances starting at once on an
// empty database (in one process, and as two real processes) run the migrations once and end with exactly one
// active signing key, which both sign with.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { startServer, type TestServer } from '../support/start-server.js';
import { signIn } from '../support/sign-in.js';
import { token } from '../support/idx-client.js';

const basic = (a: { clientId: string; clientSecret?: string }) => 'Basic ' + Buffer.from(`${a.clientId}:${a.clientSecret}`).toString('base64');
const form = (gh: TestServer, path: string, app: { clientId: string; clientSecret?: string }, body: Record<string, string>) =>
  fetch(`${gh.issuer}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(app) }, body: new URLSearchParams(body) });
const userinfo = (gh: TestServer, at: string) => fetch(`${gh.issuer}/v1/userinfo`, { headers: { authorization: `Bearer ${at}` } });

test('a restart keeps the JWKS byte-identical, live tokens live, revocations, rotated refresh tokens and locks', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-restart-'));
  try {
    const redirectUri = 'http://localhost:3000/cb';
    const password = 'a-long-password-1';
    let gh = await startServer({ dir });
    await gh.createUser({ email: 'rs@example.com', password });
    const locked = await gh.createUser({ email: 'locked-rs@example.com', password });
    await gh.gatehouse.deps.store.users.recordFailure(locked.id, gh.clock.now(), { maxAttempts: 1, durationSeconds: 3600 });
    const web = await gh.createApp({ name: 'web', redirectUris: [redirectUri] });
    const sign = (scope: string) => signIn(gh, { ...web, redirectUri, username: 'rs@example.com', password, scope });

    const live = await sign('openid offline_access');
    const rotatedFamily = await sign('openid offline_access');
    const rotated = await token(gh, { grant_type: 'refresh_token', refresh_token: rotatedFamily.refresh_token! }, web);
    assert.equal(rotated.status, 200);
    const revokedAt = await sign('openid');
    assert.equal((await form(gh, '/v1/revoke', web, { token: revokedAt.access_token })).status, 200);
    const revokedRt = await sign('openid offline_access');
    assert.equal((await form(gh, '/v1/revoke', web, { token: revokedRt.refresh_token!, token_type_hint: 'refresh_token' })).status, 200);
    const keysRes = await fetch(`${gh.issuer}/v1/keys`);
    const jwksBefore = await keysRes.text();
    const etagBefore = keysRes.headers.get('etag');
    const discoveryBefore = await (await fetch(`${gh.issuer}/.well-known/openid-configuration`)).text();
    const baseUrlBefore = gh.baseUrl;
    await gh.close();

    // Same port and base URL as before, so the issuer is the same and every check below is about the store,
    // not about an issuer mismatch.
    const { port } = new URL(baseUrlBefore);
    const baseUrl = baseUrlBefore;
    gh = await startServer({ dir, config: { port: Number(port), baseUrl } });
    try {
      assert.equal(gh.baseUrl, baseUrl);
      const keysAfter = await fetch(`${gh.issuer}/v1/keys`);
      assert.equal(await keysAfter.text(), jwksBefore, 'JWKS byte-identical');
      assert.equal(keysAfter.headers.get('etag'), etagBefore);
      assert.equal(await (await fetch(`${gh.issuer}/.well-known/openid-configuration`)).text(), discoveryBefore, 'discovery byte-identical');

      assert.equal((await userinfo(gh, live.access_token)).status, 200, 'a live access token still verifies (same key)');
      assert.equal((await token(gh, { grant_type: 'refresh_token', refresh_token: live.refresh_token! }, web)).status, 200, 'a live refresh token still works');

      assert.equal((await userinfo(gh, revokedAt.access_token)).status, 401, 'a revoked access token stays revoked');
      assert.equal(await (await form(gh, '/v1/introspect', web, { token: revokedAt.access_token })).text(), '{"active":false}');
      assert.equal((await userinfo(gh, revokedRt.access_token)).status, 401, 'an access token of a revoked refresh token stays dead');
      assert.equal((await token(gh, { grant_type: 'refresh_token', refresh_token: revokedRt.refresh_token! }, web)).json.error, 'invalid_grant', 'a revoked refresh token stays revoked');

      assert.equal((await token(gh, { grant_type: 'refresh_token', refresh_token: rotatedFamily.refresh_token! }, web)).json.error, 'invalid_grant', 'a rotated refresh token stays refused');
      assert.equal((await token(gh, { grant_type: 'refresh_token', refresh_token: rotated.json.refresh_token }, web)).json.error, 'invalid_grant', 'replaying the rotated token just above revoked the whole family');
      assert.equal((await userinfo(gh, rotated.json.access_token)).status, 401);

      const u = await gh.gatehouse.deps.store.users.findById(locked.id);
      assert.ok(u!.lockedUntil! > gh.clock.now(), 'the lock survives');
    } finally {
      await gh.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('two instances starting at once on an empty database run the migrations once and make exactly one active key', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-race-'));
  try {
    // One configured base URL for both, as behind a load balancer: requests go to each instance's own port.
    const config = { baseUrl: 'http://gatehouse.test' };
    const [a, b] = await Promise.all([startServer({ dir, keepDir: true, config }), startServer({ dir, keepDir: true, config })]);
    const at = (gh: TestServer) => `http://127.0.0.1:${gh.gatehouse.port}/oauth2/default`;
    try {
      const ka = await (await fetch(`${at(a)}/v1/keys`)).text();
      const kb = await (await fetch(`${at(b)}/v1/keys`)).text();
      assert.equal(ka, kb, 'both instances publish the same key set');
      assert.equal(a.gatehouse.deps.keys.activeKid(), b.gatehouse.deps.keys.activeKid(), 'both sign with the one active key');
      // A token one instance issues is accepted by the other (same key, same store, same issuer).
      const svc = await a.createApp({ name: 'svc', type: 'service' });
      const post = (base: string, path: string, body: Record<string, string>) =>
        fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(svc) }, body: new URLSearchParams(body) });
      const issued = await (await post(at(a), '/v1/token', { grant_type: 'client_credentials' })).json();
      const intro = await (await post(at(b), '/v1/introspect', { token: issued.access_token })).json();
      assert.equal(intro.active, true);
      assert.equal(intro.iss, 'http://gatehouse.test/oauth2/default');
    } finally {
      await a.close();
      await b.close();
    }
    const db = new Database(join(dir, 'gatehouse.db'), { readonly: true });
    const migrations = db.prepare('SELECT version, count(*) n FROM schema_migrations GROUP BY version').all() as { version: number; n: number }[];
    const statuses = db.prepare('SELECT status, count(*) n FROM signing_keys GROUP BY status').all() as { status: string; n: number }[];
    db.close();
    assert.ok(migrations.length > 0);
    assert.ok(migrations.every((m) => m.n === 1), JSON.stringify(migrations));
    assert.deepEqual(Object.fromEntries(statuses.map((s) => [s.status, s.n])), { active: 1, next: 1 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Starts `gatehouse serve` as its own process and resolves with the port it reports once listening. */
function serveProcess(db: string) {
  const bin = fileURLToPath(new URL('../../bin/gatehouse.js', import.meta.url));
  const proc = spawn(process.execPath, [bin, 'serve', '--db', db, '--port', '0'], {
    env: { ...process.env, GATEHOUSE_TEST: '1', GATEHOUSE_SECRET: 'race-secret-race-secret-race-secret-0000', GATEHOUSE_LOG_LEVEL: 'info', GATEHOUSE_BASE_URL: 'http://gatehouse.test' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((r) => proc.once('exit', r));
  const port = new Promise<number>((resolve, reject) => {
    let out = '';
    let err = '';
    proc.stdout.on('data', (d) => { out += d; const m = /"port":(\d+)/.exec(out); if (m) resolve(Number(m[1])); });
    proc.stderr.on('data', (d) => { err += d; });
    void exited.then((c) => reject(new Error(`gatehouse serve exited ${c}: ${err.slice(0, 500)}`)));
  });
  return { port, stop: async () => { proc.kill('SIGTERM'); return exited; } };
}

for (let trial = 1; trial <= 3; trial++) {
  test(`two gatehouse processes starting at once on an empty database migrate once and agree on one active key (trial ${trial})`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-race-proc-'));
    const db = `sqlite:${join(dir, 'gatehouse.db')}`;
    const procs = [serveProcess(db), serveProcess(db)];
    try {
      const ports = await Promise.all(procs.map((p) => p.port));
      const jwks = await Promise.all(ports.map(async (port) => (await fetch(`http://127.0.0.1:${port}/oauth2/default/v1/keys`)).text()));
      assert.equal(jwks[0], jwks[1], 'both processes publish the same key set');
      for (const port of ports) assert.equal((await fetch(`http://127.0.0.1:${port}/readyz`)).status, 200);
    } finally {
      const codes = await Promise.all(procs.map((p) => p.stop()));
      assert.deepEqual(codes, [0, 0]);
    }
    try {
      const sqlite = new Database(join(dir, 'gatehouse.db'), { readonly: true });
      const migrations = sqlite.prepare('SELECT version, count(*) n FROM schema_migrations GROUP BY version').all() as { n: number }[];
      const statuses = sqlite.prepare('SELECT status, count(*) n FROM signing_keys GROUP BY status').all() as { status: string; n: number }[];
      sqlite.close();
      assert.ok(migrations.length > 0 && migrations.every((m) => m.n === 1), JSON.stringify(migrations));
      assert.deepEqual(Object.fromEntries(statuses.map((s) => [s.status, s.n])), { active: 1, next: 1 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
