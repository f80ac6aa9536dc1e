// The Store contract on PostgreSQL (a fresh schema per case), and the server end to end on PostgreSQL:
// okta-auth-js signs in, and one-time codes and refresh tokens hold under concurrency there too.
// Needs a PostgreSQL server: GATEHOUSE_TEST_POSTGRES (default postgres://postgres@127.0.0.1:5432/postgres).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { OktaAuth } from 'okta-auth-js-7';
import { openPostgresStore } from '../../src/store/postgres/index.js';
import { storeContract } from './contract.js';
import { startServer } from '../support/start-server.js';
import { signInForCode, token } from '../support/idx-client.js';

const URL_ = process.env.GATEHOUSE_TEST_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function reachable(): Promise<boolean> {
  const c = new pg.Client({ connectionString: URL_, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

const available = await reachable();
const schemaName = () => 'gh_test_' + randomBytes(6).toString('hex');
async function dropSchema(schema: string) {
  const c = new pg.Client({ connectionString: URL_ });
  await c.connect();
  await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await c.end();
}

if (!available) {
  test('PostgreSQL store', { skip: `no PostgreSQL server at ${URL_} (set GATEHOUSE_TEST_POSTGRES)` }, () => {});
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
}
