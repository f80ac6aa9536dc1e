// Authorization servers are data: `gatehouse server create` adds one with its own issuer, audience, scopes and
// token lifetimes, which a running instance serves without a restart; bad ids and duplicates are refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { startServer, type TestServer } from '../support/start-server.js';
import { cliFor } from '../support/cli.js';

let gh: TestServer;
let svc: { clientId: string; clientSecret?: string };
const run = (...args: string[]) => cliFor(gh)(...args);

before(async () => {
  gh = await startServer();
  svc = await gh.createApp({ name: 'svc', type: 'service' });
});
after(() => gh.close());

const clientCredentials = async (issuer: string, scope?: string) => {
  const res = await fetch(`${issuer}/v1/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'Basic ' + Buffer.from(`${svc.clientId}:${svc.clientSecret}`).toString('base64') },
    body: new URLSearchParams({ grant_type: 'client_credentials', ...(scope ? { scope } : {}) }),
  });
  return { status: res.status, json: await res.json() };
};

test('server create adds an issuer with its own audience, scopes and lifetimes, served by the running instance without a restart', async () => {
  const r = (await run('server', 'create', '--id', 'payments', '--audience', 'api://payments', '--scope', 'payments:read', '--access-token-minutes', '5'));
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), {
    id: 'payments', issuer_path: '/oauth2/payments', audiences: ['api://payments'], scopes: ['openid', 'payments:read'],
    access_token_seconds: 300, id_token_seconds: 3600, refresh_token_seconds: 90 * 86400,
  });
  const issuer = `${gh.baseUrl}/oauth2/payments`;
  assert.equal((await fetch(`${issuer}/.well-known/openid-configuration`)).status, 404, 'not served before the reload');
  await gh.gatehouse.refreshServers();

  const discovery = await (await fetch(`${issuer}/.well-known/openid-configuration`)).json();
  assert.equal(discovery.issuer, issuer);
  assert.equal(discovery.token_endpoint, `${issuer}/v1/token`);
  assert.deepEqual(discovery.scopes_supported, ['openid', 'payments:read']);

  const t = await clientCredentials(issuer, 'payments:read');
  assert.equal(t.status, 200, JSON.stringify(t.json));
  assert.equal(t.json.expires_in, 300);
  const { payload } = await jwtVerify(t.json.access_token, createRemoteJWKSet(new URL(`${issuer}/v1/keys`)), { issuer, audience: 'api://payments' });
  assert.deepEqual(payload.scp, ['payments:read']);
  assert.equal(payload.exp! - payload.iat!, 300);

  assert.equal((await clientCredentials(issuer, 'email')).json.error, 'invalid_scope', 'a scope this server does not offer');
  const fromDefault = await clientCredentials(gh.issuer);
  assert.equal(decodeJwt(fromDefault.json.access_token).aud, 'api://default', 'the default server is unchanged');

  const listed = JSON.parse((await run('server', 'list')).stdout) as { id: string }[];
  assert.deepEqual(listed.map((s) => s.id), ['default', 'org', 'payments']);
});

test('server create without --audience or --scope uses api://{id} and the default server\'s scopes', async () => {
  const r = (await run('server', 'create', '--id', 'orders'));
  assert.equal(r.status, 0, r.stderr);
  const s = JSON.parse(r.stdout);
  assert.deepEqual(s.audiences, ['api://orders']);
  assert.ok(s.scopes.includes('openid') && s.scopes.includes('offline_access'));
});

test('server create refuses a taken id, a reserved or malformed id, a bad scope and bad lifetimes, with a clear message', async () => {
  const cases: [string[], RegExp][] = [
    [['--id', 'default'], /already exists/],
    [['--id', 'org'], /--id must be/],
    [['--id', 'v1'], /--id must be/],
    [['--id', 'Has Spaces'], /--id must be/],
    [['--id', '../keys'], /--id must be/],
    [[], /--id is required/],
    [['--id', 'x1', '--scope', 'a"b'], /not a valid scope/],
    [['--id', 'x2', '--access-token-minutes', '0'], /--access-token-minutes must be/],
    [['--id', 'x3', '--refresh-token-days', 'soon'], /--refresh-token-days must be/],
  ];
  for (const [args, message] of cases) {
    const r = (await run('server', 'create', ...args));
    assert.notEqual(r.status, 0, args.join(' '));
    assert.match(r.stderr, message, args.join(' '));
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  }
  assert.equal((await run('server', 'delete')).status, 2);
});
