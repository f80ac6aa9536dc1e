// Logs are structured JSON (pino) and never contain passwords, client secrets, codes or tokens — not on
// success, not on errors, not on bad input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGatehouse } from '../../src/app.js';
import { createLogger } from '../../src/log.js';
import { createApp, createUser } from '../../src/identity/admin.js';
import { signInForCode, token } from '../support/idx-client.js';

test('a sign-in, token exchange, userinfo and failures leave no secret in the logs', async () => {
  const lines: string[] = [];
  const sink = new Writable({ write(chunk, _enc, cb) { lines.push(String(chunk)); cb(); } });
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-logs-'));
  const gh = await startGatehouse({
    env: { GATEHOUSE_TEST: '1' }, config: { port: 0, db: `sqlite:${join(dir, 'gh.db')}`, secret: 'log-test-secret-log-test-secret-log-00000' },
    baseUrlFromPort: true, logger: createLogger('debug', sink),
  });
  try {
    const password = 'Secret-Password-4242';
    await createUser(gh.deps.store, gh.deps.passwords, { email: 'log@example.com', password }, Date.now());
    const redirectUri = 'http://localhost:3000/cb';
    const { app, clientSecret } = await createApp(gh.deps.store, { name: 'log', type: 'web', redirectUris: [redirectUri] }, Date.now());
    const server = { baseUrl: gh.baseUrl, issuer: gh.baseUrl + '/oauth2/default' } as any;
    const s = await signInForCode(server, { clientId: app.clientId, redirectUri, username: 'log@example.com', password, scope: 'openid offline_access' });
    const t = await token(server, { grant_type: 'interaction_code', interaction_code: s.code, code_verifier: s.verifier }, { clientId: app.clientId, clientSecret });
    await fetch(`${server.issuer}/v1/userinfo`, { headers: { authorization: `Bearer ${t.json.access_token}` } });
    await token(server, { grant_type: 'interaction_code', interaction_code: s.code, code_verifier: s.verifier }, { clientId: app.clientId, clientSecret }); // replay
    await token(server, { grant_type: 'client_credentials' }, { clientId: app.clientId, clientSecret: 'Wrong-Secret-9999' });
    await fetch(`${server.issuer}/v1/logout?id_token_hint=${t.json.id_token}`);
    const text = lines.join('');
    assert.ok(lines.length > 5);
    for (const line of lines) JSON.parse(line); // structured: one JSON object per line
    for (const secret of [password, clientSecret!, 'Wrong-Secret-9999', s.code, s.verifier, t.json.access_token, t.json.refresh_token, t.json.id_token, s.stateHandle]) {
      assert.ok(!text.includes(secret), `a secret leaked into the logs: ${secret.slice(0, 12)}…`);
    }
  } finally {
    await gh.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
