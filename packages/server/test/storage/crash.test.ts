// kill -9 during sign-in and redemption load, then restart: the database is intact, and every code is
// either unused or used together with the grant it bought (consume-once happens in one transaction).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import { createApp, createUser } from '../../src/identity/admin.js';
import { createPasswords } from '../../src/identity/passwords.js';
import { pkce } from '../support/idx-client.js';

const bin = new URL('../../bin/gatehouse.js', import.meta.url).pathname;
const secret = 'crash-test-secret-crash-test-secret-0000';

function serve(db: string) {
  const proc = spawn(process.execPath, [bin, 'serve', '--db', `sqlite:${db}`, '--port', '0'], {
    env: { ...process.env, GATEHOUSE_TEST: '1', GATEHOUSE_SECRET: secret, GATEHOUSE_LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = new Promise<number>((resolve, reject) => {
    let buf = '';
    proc.stdout!.on('data', (d) => {
      buf += d;
      const m = /"port":(\d+)/.exec(buf);
      if (m) resolve(Number(m[1]));
    });
    proc.once('exit', (c) => reject(new Error(`server exited ${c}`)));
  });
  return { proc, port };
}

test('kill -9 under sign-in and redemption load leaves an intact database where no code is half-redeemed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-crash-'));
  const db = join(dir, 'gh.db');
  try {
    const store = openSqliteStore(db);
    const redirectUri = 'http://localhost:3000/cb';
    const { app, clientSecret } = await createApp(store, { name: 'crash', type: 'web', redirectUris: [redirectUri] }, Date.now());
    await createUser(store, createPasswords({ argon2: { memoryCost: 1024, timeCost: 1, parallelism: 1 }, hashConcurrency: 2 }), { email: 'crash@example.com', password: 'sturdy-password-1' }, Date.now());
    await store.close();

    const first = serve(db);
    const port = await first.port;
    const base = `http://127.0.0.1:${port}`;
    const auth = 'Basic ' + Buffer.from(`${app.clientId}:${clientSecret}`).toString('base64');
    let stop = false;
    const worker = async () => {
      while (!stop) {
        try {
          const { verifier, challenge } = pkce();
          const it = await (await fetch(`${base}/oauth2/default/v1/interact`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ client_id: app.clientId, redirect_uri: redirectUri, scope: 'openid offline_access', state: 's', code_challenge: challenge, code_challenge_method: 'S256' }) })).json();
          const a = await (await fetch(`${base}/idp/idx/introspect`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ interactionHandle: it.interaction_handle }) })).json();
          const b = await (await fetch(`${base}/idp/idx/identify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ identifier: 'crash@example.com', credentials: { passcode: 'sturdy-password-1' }, stateHandle: a.stateHandle }) })).json();
          const code = b.successWithInteractionCode.value.find((f: any) => f.name === 'interaction_code').value;
          await fetch(`${base}/oauth2/default/v1/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: auth }, body: new URLSearchParams({ grant_type: 'interaction_code', interaction_code: code, code_verifier: verifier }) });
        } catch {
          return; // the server died under us: that is the point
        }
      }
    };
    const workers = Array.from({ length: 8 }, worker);
    // Let real work happen: wait until some codes have been redeemed, then kill -9.
    const probe = new Database(db, { readonly: true });
    while ((probe.prepare('SELECT count(*) n FROM grants').get() as { n: number }).n < 20) await new Promise((r) => setImmediate(r));
    probe.close();
    first.proc.kill('SIGKILL');
    stop = true;
    await Promise.all(workers);

    const check = new Database(db);
    assert.equal((check.pragma('integrity_check') as { integrity_check: string }[])[0]!.integrity_check, 'ok');
    const halfRedeemed = check.prepare('SELECT count(*) n FROM codes WHERE consumed_at IS NOT NULL AND grant_id IS NULL').get() as { n: number };
    const orphanGrants = check.prepare('SELECT count(*) n FROM grants g WHERE NOT EXISTS (SELECT 1 FROM codes c WHERE c.grant_id = g.id)').get() as { n: number };
    const refreshWithoutGrant = check.prepare('SELECT count(*) n FROM refresh_tokens r WHERE NOT EXISTS (SELECT 1 FROM grants g WHERE g.id = r.grant_id)').get() as { n: number };
    check.close();
    assert.equal(halfRedeemed.n, 0);
    assert.equal(orphanGrants.n, 0);
    assert.equal(refreshWithoutGrant.n, 0);

    const second = serve(db);
    const port2 = await second.port;
    const ready = await fetch(`http://127.0.0.1:${port2}/readyz`);
    assert.equal(ready.status, 200);
    second.proc.kill('SIGTERM');
    await new Promise((r) => second.proc.once('exit', r));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
