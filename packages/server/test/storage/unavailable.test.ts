// When the database cannot take writes (another process holds the write lock), requests get a 503 with a
// JSON error instead of failing open or half-writing, and service recovers by itself when the lock goes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../support/start-server.js';
import { interact, introspect, idx } from '../support/idx-client.js';

test('a locked database gives 503 JSON errors, no sign-in, and recovers without a restart', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-busy-'));
  try {
    // A short busy timeout, so a write waits 100 ms for the lock instead of the default 5 s.
    const gh2 = await startServer({ dir, config: { db: `sqlite:${join(dir, 'gatehouse.db')}?busy_timeout=100` } });
    try {
      await gh2.createUser({ email: 'busy@example.com', password: 'a-long-password-1' });
      const redirectUri = 'http://localhost:3000/cb';
      const { clientId } = await gh2.createApp({ name: 'x', redirectUris: [redirectUri] });
      const it = await interact(gh2, { clientId, redirectUri });
      const start = (await introspect(gh2, { interactionHandle: it.interactionHandle })).json;

      const locker = new Database(gh2.dbPath);
      locker.prepare('BEGIN EXCLUSIVE').run();
      try {
        const r = await idx(start.remediation.value[0].href, { identifier: 'busy@example.com', credentials: { passcode: 'a-long-password-1' }, stateHandle: start.stateHandle });
        assert.equal(r.status, 503);
        assert.equal(r.json.errorCode, 'E0000009');
        const t = await fetch(`${gh2.issuer}/v1/interact`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ client_id: clientId, redirect_uri: redirectUri, scope: 'openid', state: 's', code_challenge: 'x'.repeat(43), code_challenge_method: 'S256' }) });
        assert.equal(t.status, 503);
        assert.equal((await t.json()).error, 'temporarily_unavailable');
        assert.equal((await fetch(`${gh2.baseUrl}/healthz`)).status, 200, 'the process is alive');
      } finally {
        locker.prepare('ROLLBACK').run();
        locker.close();
      }
      const ok = await idx(start.remediation.value[0].href, { identifier: 'busy@example.com', credentials: { passcode: 'a-long-password-1' }, stateHandle: start.stateHandle });
      assert.equal(ok.status, 200, 'recovered without a restart; the refused attempt changed nothing');
      assert.ok(ok.json.successWithInteractionCode);
    } finally {
      await gh2.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
