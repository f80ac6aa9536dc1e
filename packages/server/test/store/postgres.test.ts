// The Store contract on PostgreSQL (a fresh schema per case), and the server end to end on PostgreSQL:
// okta-auth-js signs in, and one-time codes and refresh tokens hold under concurrency there too.
// Needs a PostgreSQL server (test/support/postgres.ts): without one it is skipped, or fails under CI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { POSTGRES_URL, noPostgres, postgresReachable } from '../support/postgres.js';
import { OktaAuth } from 'okta-auth-js-7';
import { openPostgresStore } from '../../src/store/postgres/index.js';
import { storeContract } from './contract.js';
import { startServer } from '../support/start-server.js';
import { codeOf, idx, interact, introspect, signInForCode, token } from '../support/idx-client.js';
import { connect, createServer as createNetServer, type Socket } from 'node:net';

const URL_ = POSTGRES_URL;
const available = await postgresReachable();
const schemaName = () => 'gh_test_' + randomBytes(6).toString('hex');
async function dropSchema(schema: string) {
  const c = new pg.Client({ connectionString: URL_ });
  await c.connect();
  await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await c.end();
}

if (!available) {
  noPostgres('PostgreSQL store');
} else {
  storeContract('postgres', async () => {
    const schema = schemaName();
    const store = await openPostgresStore(URL_, { schema });
    return { store, close: async () => { await store.close(); await dropSchema(schema); } };
  });

  test('postgres: the server runs the embedded sign-in end to end; codes and refresh tokens are once-only under 50 concurrent uses', async () => {
    const schema = schemaName();
    const gh = await startServer({ config: { db: `${URL_}?schema=${schema}` } });
    try {
      const password = 'a-long-password-1';
      const redirectUri = 'http://localhost:3000/cb';
      await gh.createUser({ email: 'pg@example.com', password });
      const web = await gh.createApp({ name: 'pg', redirectUris: [redirectUri] });
      const auth = new OktaAuth({ issuer: gh.issuer, clientId: web.clientId, clientSecret: web.clientSecret, redirectUri, scopes: ['openid', 'email'] });
      const tx = await auth.idx.authenticate({ username: 'pg@example.com', password });
      assert.equal(tx.status, 'SUCCESS');
      const s = await signInForCode(gh, { clientId: web.clientId, redirectUri, username: 'pg@example.com', password, scope: 'openid offline_access' });
      const rs = await Promise.all(Array.from({ length: 50 }, () => token(gh, { grant_type: 'interaction_code', interaction_code: s.code, code_verifier: s.verifier }, web)));
      assert.equal(rs.filter((r) => r.status === 200).length, 1, JSON.stringify(rs.slice(0, 3).map((r) => [r.status, r.json])));
      // The 49 losers were replays, which revoke what the winner got (RFC 6749 §4.1.2): refresh on a fresh grant.
      const s2 = await signInForCode(gh, { clientId: web.clientId, redirectUri, username: 'pg@example.com', password, scope: 'openid offline_access' });
      const rt = (await token(gh, { grant_type: 'interaction_code', interaction_code: s2.code, code_verifier: s2.verifier }, web)).json.refresh_token;
      const rr = await Promise.all(Array.from({ length: 50 }, () => token(gh, { grant_type: 'refresh_token', refresh_token: rt }, web)));
      assert.equal(rr.filter((r) => r.status === 200).length, 1, JSON.stringify(rr.slice(0, 2).map((r) => [r.status, r.json])));
    } finally {
      await gh.close();
      await dropSchema(schema);
    }
  });

  test('postgres gone: 503 JSON errors and no sign-in while it is unreachable, then recovery without a restart', async () => {
    const schema = schemaName();
    const proxy = await tcpProxy(new URL(URL_));
    const viaProxy = new URL(URL_);
    viaProxy.port = String(proxy.port);
    viaProxy.searchParams.set('schema', schema);
    const gh = await startServer({ config: { db: viaProxy.toString() } });
    try {
      const password = 'a-long-password-1';
      const redirectUri = 'http://localhost:3000/cb';
      await gh.createUser({ email: 'gone@example.com', password });
      const web = await gh.createApp({ name: 'gone', redirectUris: [redirectUri] });
      const svc = await gh.createApp({ name: 'svc', type: 'service' });
      const it = await interact(gh, { clientId: web.clientId, redirectUri });
      const first = (await introspect(gh, { interactionHandle: it.interactionHandle })).json;
      const signInStep = () => idx(first.remediation.value[0].href, { identifier: 'gone@example.com', credentials: { passcode: password }, stateHandle: first.stateHandle });

      proxy.cut();
      const r = await signInStep();
      assert.equal(r.status, 503);
      assert.equal(r.json.errorCode, 'E0000009');
      const t = await token(gh, { grant_type: 'client_credentials' }, svc);
      assert.equal(t.status, 503);
      assert.equal(t.json.error, 'temporarily_unavailable');
      assert.equal((await fetch(`${gh.baseUrl}/readyz`)).status, 503);
      assert.equal((await fetch(`${gh.baseUrl}/healthz`)).status, 200, 'the process is alive');

      await proxy.restore();
      assert.equal((await fetch(`${gh.baseUrl}/readyz`)).status, 200);
      const ok = await signInStep();
      assert.equal(ok.status, 200, 'recovered without a restart; the refused attempt changed nothing');
      assert.ok(codeOf(ok.json));
      assert.equal((await token(gh, { grant_type: 'client_credentials' }, svc)).status, 200);
    } finally {
      await gh.close();
      await proxy.close();
      await dropSchema(schema);
    }
  });
}

/** A TCP proxy to the database that the test can cut (every connection dropped, new ones refused) and restore. */
async function tcpProxy(target: URL) {
  const sockets = new Set<Socket>();
  let open = true;
  const server = createNetServer((client) => {
    if (!open) return client.destroy();
    const upstream = connect(Number(target.port || 5432), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => {});
      s.on('close', () => { sockets.delete(s); client.destroy(); upstream.destroy(); });
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as { port: number }).port,
    cut() { open = false; for (const s of sockets) s.destroy(); },
    async restore() { open = true; },
    close: () => new Promise<void>((r) => { open = false; for (const s of sockets) s.destroy(); server.close(() => r()); }),
  };
}
