// The management API through the real @okta/okta-sdk-nodejs (v8) against a running Gatehouse: users with passwords
// who then sign in with okta-auth-js, search and filter, paging 250 users with the SDK's iterator, groups and
// members, an OIDC app created through the API and signed in to, deactivate and delete, the System Log for those
// actions, and errors as the SDK's OktaApiError with Okta's codes. The store-heavy parts run on both databases.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import okta from '@okta/okta-sdk-nodejs';
import { OktaAuth } from 'okta-auth-js-7';
import { startServer, type TestServer } from '../support/start-server.js';
import { createApiToken, revokeApiToken } from '../../src/admin-api/api-tokens.js';
import { createUser } from '../../src/identity/admin.js';
import { POSTGRES_URL, noPostgres, postgresReachable } from '../support/postgres.js';

const { Client, DefaultRequestExecutor } = okta as any;
const password = 'correct-horse-battery';
const redirectUri = 'http://localhost:3000/interactioncode/callback';

async function sdkFor(gh: TestServer, opts: { readOnly?: boolean; maxRetries?: number } = {}) {
  const t = await createApiToken(gh.gatehouse.deps.store, { name: opts.readOnly ? 'reader' : 'provisioning', readOnly: !!opts.readOnly }, gh.clock.now());
  const client = new Client({
    orgUrl: gh.baseUrl, token: t.token, testing: { disableHttpsCheck: true },
    requestExecutor: new DefaultRequestExecutor({ maxRetries: opts.maxRetries ?? 0 }),
  });
  return { client, token: t };
}

async function collect<T>(c: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of c) if (x) out.push(x);
  return out;
}

async function rejectsWith(p: Promise<unknown>, status: number, errorCode: string, cause?: RegExp) {
  await assert.rejects(p, (e: any) => {
    assert.equal(e.name, 'OktaApiError', String(e));
    assert.equal(e.status, status);
    assert.equal(e.errorCode, errorCode);
    assert.match(e.errorId, /^oae/);
    if (cause) assert.match(e.errorCauses?.[0]?.errorSummary ?? '', cause);
    return true;
  });
}

let gh: TestServer;
let client: any;
before(async () => {
  gh = await startServer();
  ({ client } = await sdkFor(gh));
});
after(() => gh.close());

test('a user created with a password through the SDK signs in with okta-auth-js to an OIDC app created through the SDK', async () => {
  const user = await client.userApi.createUser({ body: { profile: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', login: 'ada@example.com' }, credentials: { password: { value: password } } }, activate: true });
  assert.equal(user.status, 'ACTIVE');
  assert.equal(user.profile.login, 'ada@example.com');
  assert.ok(user.created instanceof Date && user.passwordChanged instanceof Date);
  assert.ok(user.credentials.password && !user.credentials.password.value && !user.credentials.password.hash, 'no secret in credentials');
  const app = await client.applicationApi.createApplication({ application: {
    name: 'oidc_client', label: 'Portal', signOnMode: 'OPENID_CONNECT',
    credentials: { oauthClient: { token_endpoint_auth_method: 'client_secret_basic' } },
    settings: { oauthClient: { redirect_uris: [redirectUri], grant_types: ['authorization_code', 'interaction_code'], response_types: ['code'], application_type: 'web' } },
  } });
  const clientId = app.credentials.oauthClient.client_id;
  const clientSecret = app.credentials.oauthClient.client_secret;
  assert.ok(clientId && clientSecret);
  const fetched = await client.applicationApi.getApplication({ appId: app.id });
  assert.equal(fetched.label, 'Portal');
  assert.equal(fetched.credentials.oauthClient.client_secret, undefined, 'the secret is shown once');
  const auth = new OktaAuth({ issuer: gh.issuer, clientId, clientSecret, redirectUri, scopes: ['openid', 'email'] });
  const tx = await auth.idx.authenticate({ username: 'ada@example.com', password });
  assert.equal(tx.status, 'SUCCESS', JSON.stringify(tx.messages));
  const after = await client.userApi.getUser({ userId: 'ada@example.com' });
  assert.ok(after.lastLogin instanceof Date, 'lastLogin is set by the sign-in');

  // A deactivated app refuses sign-in; once deleted it is gone.
  await client.applicationApi.deactivateApplication({ appId: app.id });
  const refused = await new OktaAuth({ issuer: gh.issuer, clientId, clientSecret, redirectUri, scopes: ['openid'] }).idx.authenticate({ username: 'ada@example.com', password }).catch((e: Error) => e);
  assert.ok(refused instanceof Error || (refused as any).status !== 'SUCCESS');
  await client.applicationApi.deleteApplication({ appId: app.id });
  await rejectsWith(client.applicationApi.getApplication({ appId: app.id }), 404, 'E0000007');
});

test('errors surface as OktaApiError: a duplicate login is 400 E0000001 on login, an unknown id 404 E0000007, a weak password E0000001 on password', async () => {
  await client.userApi.createUser({ body: { profile: { email: 'dup@example.com', login: 'dup@example.com' } }, activate: false });
  await rejectsWith(client.userApi.createUser({ body: { profile: { email: 'other@example.com', login: 'DUP@example.com' } } }), 400, 'E0000001', /^login: /);
  await rejectsWith(client.userApi.getUser({ userId: '00unosuchuser0000' }), 404, 'E0000007');
  await rejectsWith(client.userApi.createUser({ body: { profile: { email: 'weak@example.com', login: 'weak@example.com' }, credentials: { password: { value: 'x' } } } }), 400, 'E0000001', /^password: /);
});

test('a malformed filter or search is 400 E0000031 saying what was wrong; limit is capped', async () => {
  await rejectsWith(client.userApi.listUsers({ filter: 'status eq ACTIVE' }).then((c: any) => collect(c)), 400, 'E0000031', /quoted value/);
  await rejectsWith(client.userApi.listUsers({ search: 'profile.password eq "x"' }).then((c: any) => collect(c)), 400, 'E0000031', /unknown attribute/);
  await rejectsWith(client.userApi.listUsers({ search: 'status eq "ACTIVE" or' }).then((c: any) => collect(c)), 400, 'E0000031');
  const deep = '('.repeat(50) + 'status eq "ACTIVE"' + ')'.repeat(50);
  await rejectsWith(client.userApi.listUsers({ search: deep }).then((c: any) => collect(c)), 400, 'E0000031', /nest/);
  const raw = await fetch(`${gh.baseUrl}/api/v1/users?search=${encodeURIComponent("profile.login eq \"x\" or 1=1 --")}`, { headers: { Authorization: client.http.defaultHeaders.Authorization } });
  assert.equal(raw.status, 400);
  assert.equal((await raw.json()).errorCode, 'E0000031');
});

test('read-only tokens read but cannot write (403 E0000006); missing, wrong and revoked tokens are 401 E0000011', async () => {
  const { client: reader, token } = await sdkFor(gh, { readOnly: true });
  await collect(await reader.userApi.listUsers({ limit: 1 }));
  await rejectsWith(reader.groupApi.createGroup({ group: { profile: { name: 'nope' } } }), 403, 'E0000006');
  await revokeApiToken(gh.gatehouse.deps.store, token.id, gh.clock.now());
  await rejectsWith(reader.userApi.listUsers().then((c: any) => collect(c)), 401, 'E0000011');
  for (const h of [{}, { Authorization: 'SSWS wrong-token-value' }, { Authorization: 'Bearer x' }] as Record<string, string>[]) {
    const r = await fetch(`${gh.baseUrl}/api/v1/users`, { headers: h });
    assert.equal(r.status, 401);
    const body = await r.json();
    assert.deepEqual(Object.keys(body).sort(), ['errorCauses', 'errorCode', 'errorId', 'errorLink', 'errorSummary']);
    assert.equal(body.errorCode, 'E0000011');
  }
});

test('the per-token rate limit answers X-Rate-Limit headers and 429 E0000047', async () => {
  const limited = await startServer({ config: { apiRateLimitPerMinute: 3 } });
  try {
    const { client: c, token } = await sdkFor(limited);
    const seen = [];
    for (let i = 0; i < 3; i++) {
      const r = await fetch(`${limited.baseUrl}/api/v1/groups`, { headers: { Authorization: `SSWS ${token.token}` } });
      assert.equal(r.status, 200);
      seen.push(r.headers.get('x-rate-limit-remaining'));
      assert.equal(r.headers.get('x-rate-limit-limit'), '3');
      assert.ok(Number(r.headers.get('x-rate-limit-reset')) * 1000 > Date.now());
    }
    assert.deepEqual(seen, ['2', '1', '0']);
    await rejectsWith(c.groupApi.listGroups().then((x: any) => collect(x)), 429, 'E0000047');
    const other = await sdkFor(limited);
    await collect(await other.client.groupApi.listGroups());
  } finally {
    await limited.close();
  }
});

function directorySuite(db: string, open: () => Promise<{ gh: TestServer; close(): Promise<void> }>) {
  test(`${db}: list with search, filter and q; page through 250 users with the SDK's iterator`, async () => {
    const { gh: s, close } = await open();
    try {
      const { client: c } = await sdkFor(s);
      const { store, passwords } = s.gatehouse.deps;
      const t0 = s.clock.now();
      for (let i = 0; i < 250; i++) {
        await createUser(store, passwords, { email: `bulk${String(i).padStart(3, '0')}@example.com`, firstName: `Bulk${i}`, lastName: i % 10 === 0 ? 'Tenth' : 'Bulk' }, t0 + i);
      }
      await c.userApi.createUser({ body: { profile: { email: 'staged@example.com', login: 'staged@example.com', lastName: 'Staged' } }, activate: false });
      const all = await collect(await c.userApi.listUsers({ limit: 100 }));
      assert.equal(all.length, 251);
      assert.equal(new Set(all.map((u: any) => u.id)).size, 251, 'no user twice across pages');
      const raw = await fetch(`${s.baseUrl}/api/v1/users?limit=100`, { headers: { Authorization: c.http.defaultHeaders.Authorization } });
      assert.match(raw.headers.get('link') ?? '', /<[^>]+after=[^>]+>; rel="next"/);
      const tenth = await collect(await c.userApi.listUsers({ search: 'profile.lastName eq "tenth" and status eq "PROVISIONED"' }));
      assert.equal(tenth.length, 25);
      const staged = await collect(await c.userApi.listUsers({ filter: 'status eq "STAGED"' }));
      assert.deepEqual(staged.map((u: any) => u.profile.login), ['staged@example.com']);
      const q = await collect(await c.userApi.listUsers({ q: 'bulk24' }));
      assert.deepEqual(q.map((u: any) => u.profile.email).sort(), ['bulk024@example.com', 'bulk240@example.com', 'bulk241@example.com', 'bulk242@example.com', 'bulk243@example.com', 'bulk244@example.com', 'bulk245@example.com', 'bulk246@example.com', 'bulk247@example.com', 'bulk248@example.com', 'bulk249@example.com']);
      const since = await collect(await c.userApi.listUsers({ filter: `lastUpdated gt "${new Date(t0 + 247).toISOString()}"` }));
      assert.ok(since.length >= 2 && since.length <= 3, String(since.length));
    } finally { await close(); }
  });

  test(`${db}: groups and members; deactivate and delete a user; the System Log records each action`, async () => {
    const { gh: s, close } = await open();
    try {
      const { client: c, token } = await sdkFor(s);
      const grace = await c.userApi.createUser({ body: { profile: { email: 'grace@example.com', login: 'grace@example.com', firstName: 'Grace', lastName: 'Hopper' }, credentials: { password: { value: password } } } });
      const alan = await c.userApi.createUser({ body: { profile: { email: 'alan@example.com', login: 'alan@example.com', firstName: 'Alan', lastName: 'Turing' } } });
      assert.equal(alan.status, 'PROVISIONED', 'activated without a password');
      const group = await c.groupApi.createGroup({ group: { profile: { name: 'Engineers', description: 'People who build' } } });
      assert.equal(group.type, 'OKTA_GROUP');
      await rejectsWith(c.groupApi.createGroup({ group: { profile: { name: 'engineers' } } }), 400, 'E0000001', /^name: /);
      await c.groupApi.assignUserToGroup({ groupId: group.id, userId: grace.id });
      await c.groupApi.assignUserToGroup({ groupId: group.id, userId: alan.id });
      const members = await collect(await c.groupApi.listGroupUsers({ groupId: group.id }));
      assert.deepEqual(members.map((u: any) => u.profile.login), ['grace@example.com', 'alan@example.com']);
      assert.deepEqual((await collect(await c.userApi.listUserGroups({ userId: grace.id }))).map((g: any) => g.profile.name), ['Engineers']);
      await c.groupApi.unassignUserFromGroup({ groupId: group.id, userId: alan.id });
      assert.equal((await collect(await c.groupApi.listGroupUsers({ groupId: group.id }))).length, 1);
      const found = await collect(await c.groupApi.listGroups({ q: 'Eng' }));
      assert.deepEqual(found.map((g: any) => g.id), [group.id]);

      await c.userApi.suspendUser({ userId: grace.id });
      assert.equal((await c.userApi.getUser({ userId: grace.id })).status, 'SUSPENDED');
      await c.userApi.unsuspendUser({ userId: grace.id });
      const updated = await c.userApi.updateUser({ userId: grace.id, user: { profile: { firstName: 'Amazing Grace' } } });
      assert.equal(updated.profile.firstName, 'Amazing Grace');
      assert.equal(updated.profile.lastName, 'Hopper', 'a partial update keeps the other fields');

      await c.userApi.deactivateUser({ userId: alan.id });
      assert.equal((await c.userApi.getUser({ userId: alan.id })).status, 'DEPROVISIONED');
      await c.userApi.deleteUser({ userId: alan.id });
      await rejectsWith(c.userApi.getUser({ userId: alan.id }), 404, 'E0000007');
      // As Okta: a delete on an active user deactivates; a second delete removes.
      await c.userApi.deleteUser({ userId: grace.id });
      assert.equal((await c.userApi.getUser({ userId: grace.id })).status, 'DEPROVISIONED');
      await c.userApi.deleteUser({ userId: grace.id });
      await rejectsWith(c.userApi.getUser({ userId: grace.id }), 404, 'E0000007');

      const events = await collect(await c.systemLogApi.listLogEvents({ since: new Date(s.clock.now() - 60_000).toISOString() }));
      const types = events.map((e: any) => e.eventType);
      for (const t of ['user.lifecycle.create', 'group.lifecycle.create', 'group.user_membership.add', 'group.user_membership.remove', 'user.lifecycle.suspend',
        'user.lifecycle.unsuspend', 'user.account.update_profile', 'user.lifecycle.deactivate', 'user.lifecycle.delete.completed']) {
        assert.ok(types.includes(t), `${t} in ${types.join(', ')}`);
      }
      const published = events.map((e: any) => e.published.getTime());
      assert.deepEqual(published, [...published].sort((a, b) => a - b), 'oldest first');
      const deletes: any[] = await collect(await c.systemLogApi.listLogEvents({ filter: `eventType eq "user.lifecycle.delete.completed" and target.id eq "${alan.id}"` }));
      assert.equal(deletes.length, 1);
      assert.equal(deletes[0].actor.id, token.id);
      assert.equal(deletes[0].target[0].alternateId, 'alan@example.com');
      const paged = await collect(await c.systemLogApi.listLogEvents({ limit: 2 }));
      assert.equal(paged.length, events.length, 'limit pages, the iterator follows next');
    } finally { await close(); }
  });
}

directorySuite('sqlite', async () => {
  const s = await startServer();
  return { gh: s, close: () => s.close() };
});

if (await postgresReachable()) {
  directorySuite('postgres', async () => {
    const schema = 'gh_test_' + randomBytes(6).toString('hex');
    const s = await startServer({ config: { db: `${POSTGRES_URL}?schema=${schema}` } });
    return {
      gh: s,
      async close() {
        await s.close();
        const c = new pg.Client({ connectionString: POSTGRES_URL });
        await c.connect();
        await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await c.end();
      },
    };
  });
} else {
  noPostgres('management API on PostgreSQL');
}
