// gatehouse api-token create|list|revoke through the real bin: the token is printed once and works as SSWS; list
// never shows it; a revoked token is 401 E0000011; a read-only token may read and not write.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../support/start-server.js';
import { cliFor } from '../support/cli.js';

let gh: TestServer;
before(async () => { gh = await startServer(); });
after(() => gh.close());

const call = (token: string, method = 'GET', path = '/api/v1/groups', body?: unknown) => fetch(`${gh.baseUrl}${path}`, {
  method, headers: { Authorization: `SSWS ${token}`, Accept: 'application/json', ...(body ? { 'Content-Type': 'application/json' } : {}) },
  body: body ? JSON.stringify(body) : undefined,
});

test('api-token create prints id, name and the token once; list shows no token; revoke ends it (401 E0000011)', async () => {
  const cli = cliFor(gh);
  const created = await cli('api-token', 'create', '--name', 'provisioning');
  assert.equal(created.status, 0, created.stderr);
  const t = JSON.parse(created.stdout);
  assert.deepEqual(Object.keys(t).sort(), ['id', 'name', 'readOnly', 'token']);
  assert.equal((await call(t.token)).status, 200);
  const made = await call(t.token, 'POST', '/api/v1/groups', { profile: { name: 'Ops' } });
  assert.equal(made.status, 200);
  const listed = await cli('api-token', 'list');
  assert.ok(!listed.stdout.includes(t.token), 'list never shows a token');
  assert.equal(JSON.parse(listed.stdout)[0].name, 'provisioning');
  assert.equal((await cli('api-token', 'revoke', '--id', t.id)).status, 0);
  const refused = await call(t.token);
  assert.equal(refused.status, 401);
  assert.equal((await refused.json()).errorCode, 'E0000011');
  assert.equal((await cli('api-token', 'revoke', '--id', t.id)).status, 1, 'a revoked token is not revoked twice');
});

test('a --read-only token reads and is refused writes with 403 E0000006; the log names the token as the actor', async () => {
  const cli = cliFor(gh);
  const reader = JSON.parse((await cli('api-token', 'create', '--name', 'auditor', '--read-only')).stdout);
  assert.equal(reader.readOnly, true);
  assert.equal((await call(reader.token)).status, 200);
  const w = await call(reader.token, 'POST', '/api/v1/groups', { profile: { name: 'Nope' } });
  assert.equal(w.status, 403);
  assert.equal((await w.json()).errorCode, 'E0000006');
  const log = await (await call(reader.token, 'GET', '/api/v1/logs?filter=' + encodeURIComponent('eventType eq "system.api_token.create"'))).json();
  assert.ok(log.some((e: any) => e.actor.id === reader.id && e.actor.displayName === 'auditor'));
});
