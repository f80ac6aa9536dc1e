// After a restart on the same SQLite file: JWKS byte-identical, revoked tokens still revoked, rotated
// refresh tokens still refused, locks kept. Two instances starting at once on an empty database run the
// migrations once and end with exactly one active signing key.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { startServer } from '../support/start-server.js';
import { signIn } from '../support/sign-in.js';
import { token } from '../support/idx-client.js';

test('a restart keeps the JWKS byte-identical, revocations, rotated refresh tokens and locks', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-restart-'));
  try {
    const redirectUri = 'http://localhost:3000/cb';
    const password = 'a-long-password-1';
    let gh = await startServer({ dir });
    await gh.createUser({ email: 'rs@example.com', password });
    const locked = await gh.createUser({ email: 'locked-rs@example.com', password });
    await gh.gatehouse.deps.store.users.recordFailure(locked.id, gh.clock.now(), { maxAttempts: 1, durationSeconds: 3600 });
    const web = await gh.createApp({ name: 'web', redirectUris: [redirectUri] });
    const t = await signIn(gh, { ...web, redirectUri, username: 'rs@example.com', password, scope: 'openid offline_access' });
    const rotated = await token(gh, { grant_type: 'refresh_token', refresh_token: t.refresh_token! }, web);
    const revokedAt = await signIn(gh, { ...web, redirectUri, username: 'rs@example.com', password, scope: 'openid' });
    await fetch(`${gh.issuer}/v1/revoke`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'Basic ' + Buffer.from(`${web.clientId}:${web.clientSecret}`).toString('base64') }, body: new URLSearchParams({ token: revokedAt.access_token }) });
    const jwksBefore = await (await fetch(`${gh.issuer}/v1/keys`)).text();
    await gh.close();

    gh = await startServer({ dir });
    try {
      assert.equal(await (await fetch(`${gh.issuer}/v1/keys`)).text(), jwksBefore);
      const a = await fetch(`${gh.issuer}/v1/userinfo`, { headers: { authorization: `Bearer ${revokedAt.access_token}` } });
      assert.equal(a.status, 401, 'revoked stays revoked');
      assert.equal((await token(gh, { grant_type: 'refresh_token', refresh_token: t.refresh_token! }, web)).json.error, 'invalid_grant', 'rotated stays refused');
      assert.equal((await token(gh, { grant_type: 'refresh_token', refresh_token: rotated.json.refresh_token }, web)).json.error, 'invalid_grant', 'replaying the rotated token just above revoked the whole family');
      const u = await gh.gatehouse.deps.store.users.findById(locked.id);
      assert.ok(u!.lockedUntil! > Date.now(), 'the lock survives');
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
    const [a, b] = await Promise.all([startServer({ dir, keepDir: true }), startServer({ dir, keepDir: true })]);
    const ka = await (await fetch(`${a.issuer}/v1/keys`)).json();
    const kb = await (await fetch(`${b.issuer}/v1/keys`)).json();
    await a.close();
    await b.close();
    const db = new Database(join(dir, 'gatehouse.db'), { readonly: true });
    const migrations = db.prepare('SELECT version, count(*) n FROM schema_migrations GROUP BY version').all() as { n: number }[];
    const active = db.prepare("SELECT count(*) n FROM signing_keys WHERE status = 'active'").get() as { n: number };
    db.close();
    assert.ok(migrations.every((m) => m.n === 1));
    assert.equal(active.n, 1);
    assert.deepEqual(ka.keys.map((k: any) => k.kid), kb.keys.map((k: any) => k.kid));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
