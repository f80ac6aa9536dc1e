// The Store contract: what every implementation must do, run unchanged against each database (STYLE §5).
// Today SQLite; a PostgreSQL store must pass the same suite.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EventHook, Grant, HookBatch, OneTimeCode, SigningKey, Store, Transaction } from '../../src/store/interfaces.js';
import { newId, randomToken, sha256 } from '../../src/random.js';

export function storeContract(name: string, open: () => Promise<{ store: Store; close(): Promise<void> }>) {
  const now = Date.now();
  const lockout = { maxAttempts: 5, durationSeconds: 60 };

  async function withStore(fn: (s: Store) => Promise<void>) {
    const { store, close } = await open();
    try { await fn(store); } finally { await close(); }
  }

  async function seed(s: Store) {
    const user = await s.users.create({ id: newId('00u'), login: 'Ada@Example.com', email: 'Ada@Example.com', firstName: 'Ada', lastName: 'L', locale: 'en_US', status: 'ACTIVE', passwordHash: null, createdAt: now });
    await s.apps.create({ clientId: 'app1', name: 'a', type: 'web', secretHash: null, redirectUris: ['https://a/cb'], postLogoutRedirectUris: [], grantTypes: ['interaction_code'], authMethod: 'none', signIn: 'password-first', jwks: null, frameAncestors: [], pkceRequired: true, emailVerifyUri: null, assurance: 'any-1', rememberDeviceMinutes: 0, createdAt: now });
    return user;
  }

  const tx = (over: Partial<Transaction> = {}): Transaction => ({
    id: newId('itx'), stateHandleHash: sha256(randomToken()), interactionHandleHash: sha256(randomToken()), clientId: 'app1', authServerId: 'default',
    redirectUri: 'https://a/cb', scopes: ['openid'], state: 's', nonce: null, codeChallenge: 'c', kind: 'interact', loginHint: null, identifier: null,
    step: 'identify', context: {}, userId: null, amr: [], authTime: null, rememberMe: false, version: 1, createdAt: now, expiresAt: now + 60_000, ...over,
  });

  const code = (userId: string, over: Partial<OneTimeCode> = {}): OneTimeCode => ({
    codeHash: sha256(randomToken()), kind: 'interaction_code', clientId: 'app1', authServerId: 'default', redirectUri: 'https://a/cb', scopes: ['openid', 'offline_access'],
    nonce: null, codeChallenge: 'c', userId, amr: ['pwd'], authTime: now, sessionId: null, transactionId: null, expiresAt: now + 60_000, consumedAt: null, grantId: null, ...over,
  });

  test(`${name}: users are found by login or email without regard to case; duplicates are refused`, () => withStore(async (s) => {
    const u = await seed(s);
    assert.equal((await s.users.findByLogin('ada@example.COM'))?.id, u.id);
    await assert.rejects(s.users.create({ id: newId('00u'), login: 'ADA@example.com', email: 'x@example.com', firstName: '', lastName: '', locale: 'en_US', status: 'ACTIVE', passwordHash: null, createdAt: now }));
  }));

  test(`${name}: 100 parallel failures are counted exactly and lock once; success is refused while locked`, () => withStore(async (s) => {
    const u = await seed(s);
    const rs = await Promise.all(Array.from({ length: 100 }, () => s.users.recordFailure(u.id, now, lockout)));
    assert.equal(Math.max(...rs.map((r) => r.failedAttempts)), 100);
    assert.equal(rs.filter((r) => r.justLocked).length, 1);
    assert.equal(await s.users.recordSuccess(u.id, now), false);
    assert.equal(await s.users.recordSuccess(u.id, now + 61_000), true, 'the lock expires');
    assert.equal((await s.users.findById(u.id))!.failedAttempts, 0);
  }));

  test(`${name}: transactions are found by either handle until they expire; stale versions do not update`, () => withStore(async (s) => {
    await seed(s);
    const t = tx();
    await s.transactions.create(t);
    assert.equal((await s.transactions.findByStateHandle(t.stateHandleHash, now))?.id, t.id);
    assert.equal((await s.transactions.findByInteractionHandle(t.interactionHandleHash, now))?.id, t.id);
    assert.equal(await s.transactions.findByStateHandle(t.stateHandleHash, t.expiresAt), null);
    assert.equal(await s.transactions.update({ ...t, step: 'challenge' }, 1), true);
    assert.equal(await s.transactions.update({ ...t, step: 'success' }, 1), false, 'version 1 is stale now');
  }));

  test(`${name}: completeWithCode moves the transaction and stores the code and its session in one step, once`, () => withStore(async (s) => {
    const u = await seed(s);
    const t = tx();
    await s.transactions.create(t);
    const sessions = Array.from({ length: 10 }, () => ({ id: 'ses' + randomToken(8), idHash: randomToken(), userId: u.id, amr: ['pwd'], authTime: now, expiresAt: now + 60_000, revokedAt: null }));
    const results = await Promise.all(sessions.map((session) => s.transactions.completeWithCode({ ...t, step: 'success', userId: u.id }, 1, code(u.id), session)));
    assert.equal(results.filter(Boolean).length, 1);
    const stored = await Promise.all(sessions.map((x) => s.sessions.findByIdHash(x.idHash, now)));
    assert.equal(stored.filter(Boolean).length, 1, 'only the winner\'s session exists');
    assert.equal(stored[results.indexOf(true)]?.userId, u.id);
  }));

  test(`${name}: ten parallel redemptions of one code give exactly one grant; a replay revokes it`, () => withStore(async (s) => {
    const u = await seed(s);
    const c = code(u.id);
    await s.codes.create(c);
    const rs = await Promise.all(Array.from({ length: 10 }, () => s.codes.redeem(c.codeHash, 'interaction_code', now, () => ({ grantId: newId('gr'), refreshToken: null }))));
    const won = rs.filter((r) => r.kind === 'redeemed');
    assert.equal(won.length, 1);
    const grantId = (won[0] as { grant: Grant }).grant.id;
    const replay = await s.codes.redeem(c.codeHash, 'interaction_code', now, () => ({ grantId: newId('gr'), refreshToken: null }));
    assert.deepEqual(replay, { kind: 'replayed', grantId });
    assert.ok((await s.tokens.findGrant(grantId))!.revokedAt);
  }));

  test(`${name}: a code fails when expired, of another kind, or refused by the checks — and a refused code is burned`, () => withStore(async (s) => {
    const u = await seed(s);
    const c = code(u.id);
    await s.codes.create(c);
    assert.equal((await s.codes.redeem(c.codeHash, 'authorization_code', now, () => ({ grantId: newId('gr'), refreshToken: null }))).kind, 'invalid');
    assert.equal((await s.codes.redeem(c.codeHash, 'interaction_code', c.expiresAt, () => ({ grantId: newId('gr'), refreshToken: null }))).kind, 'invalid');
    assert.equal((await s.codes.redeem(c.codeHash, 'interaction_code', now, () => null)).kind, 'invalid');
    assert.equal((await s.codes.redeem(c.codeHash, 'interaction_code', now, () => ({ grantId: newId('gr'), refreshToken: null }))).kind, 'replayed');
  }));

  test(`${name}: refresh tokens rotate once under parallel use; reuse revokes the family`, () => withStore(async (s) => {
    const u = await seed(s);
    const grant: Grant = { id: newId('gr'), clientId: 'app1', userId: u.id, authServerId: 'default', scopes: ['openid'], amr: ['pwd'], authTime: now, createdAt: now, revokedAt: null };
    const first = sha256(randomToken());
    await s.tokens.createGrant(grant, { tokenHash: first, grantId: grant.id, expiresAt: now + 60_000 });
    const rs = await Promise.all(Array.from({ length: 10 }, () => s.tokens.rotateRefreshToken(first, now, { tokenHash: sha256(randomToken()), grantId: grant.id, expiresAt: now + 60_000 })));
    assert.equal(rs.filter((r) => r.kind === 'rotated').length, 1);
    assert.ok(rs.some((r) => r.kind === 'reused'));
    assert.ok((await s.tokens.findGrant(grant.id))!.revokedAt, 'the family is revoked');
  }));

  test(`${name}: revokeJti claims a jti once: of ten parallel calls exactly one is told it recorded it`, () => withStore(async (s) => {
    const jti = 'ca:app1:' + randomToken();
    const results = await Promise.all(Array.from({ length: 10 }, () => s.tokens.revokeJti(jti, now + 60_000, now)));
    assert.equal(results.filter(Boolean).length, 1);
    assert.equal(await s.tokens.isJtiRevoked(jti), true);
    assert.equal(await s.tokens.revokeJti(jti, now + 60_000, now), false);
  }));

  test(`${name}: ensure() run concurrently leaves exactly one active and one next key`, () => withStore(async (s) => {
    let n = 0;
    const make = async (): Promise<SigningKey> => ({ kid: `k${++n}-${randomToken(4)}`, status: 'next', publicJwk: { kty: 'RSA' }, privateJwe: 'x.y.z.w.v', createdAt: now, removeAfter: null });
    await Promise.all(Array.from({ length: 5 }, () => s.keys.ensure(now, make)));
    const keys = await s.keys.list();
    assert.equal(keys.filter((k) => k.status === 'active').length, 1);
    assert.equal(keys.filter((k) => k.status === 'next').length, 1);
  }));

  test(`${name}: 50 parallel rate-limit hits are all counted; a new window starts again at one; buckets are apart`, () => withStore(async (s) => {
    const bucket = 'password:' + randomToken(4);
    const counts = await Promise.all(Array.from({ length: 50 }, () => s.rateLimits.hit(bucket, now)));
    assert.deepEqual([...counts].sort((a, b) => a - b), Array.from({ length: 50 }, (_, i) => i + 1));
    assert.equal(await s.rateLimits.hit('password:' + randomToken(4), now), 1, 'another bucket counts alone');
    assert.equal(await s.rateLimits.hit(bucket, now + 60_000), 1, 'the next window starts at one');
    assert.equal(await s.rateLimits.hit(bucket, now + 60_000), 2);
  }));

  test(`${name}: an authorization server is created once; a taken id or issuer path is refused`, () => withStore(async (s) => {
    const id = 'srv' + randomToken(4).toLowerCase().replace(/[^a-z0-9]/g, 'x');
    const server = { id, issuerPath: `/oauth2/${id}`, audiences: [`api://${id}`], scopes: ['openid'], accessTokenTtl: 300, idTokenTtl: 300, refreshTokenTtl: 86400 };
    assert.equal(await s.servers.create(server), true);
    assert.equal(await s.servers.create(server), false, 'same id');
    assert.equal(await s.servers.create({ ...server, id: id + 'b' }), false, 'same issuer path');
    assert.deepEqual(await s.servers.findById(id), server);
    assert.ok((await s.servers.list()).some((x) => x.id === id));
  }));

  test(`${name}: an app's settings and secret hash are replaced by update; an unknown client id is not`, () => withStore(async (s) => {
    await seed(s);
    const app = (await s.apps.findByClientId('app1'))!;
    const next = { ...app, name: 'renamed', secretHash: 'h2', redirectUris: ['https://b/cb'], signIn: 'identifier-first' as const, frameAncestors: ['https://b'] };
    assert.equal(await s.apps.update(next), true);
    assert.deepEqual(await s.apps.findByClientId('app1'), next);
    assert.equal(await s.apps.update({ ...next, clientId: 'nope' }), false);
  }));

  test(`${name}: a trusted origin is added once, removed once, and untrusted after removal`, () => withStore(async (s) => {
    const origin = 'https://' + randomToken(6).toLowerCase().replace(/[^a-z0-9]/g, 'x') + '.example';
    await s.origins.add(origin, now);
    await s.origins.add(origin, now);
    assert.equal((await s.origins.list()).filter((o) => o === origin).length, 1);
    assert.equal(await s.origins.remove(origin), true);
    assert.equal(await s.origins.isTrusted(origin), false);
    assert.equal(await s.origins.remove(origin), false);
  }));

  test(`${name}: a user is created with an email and a password enrollment; a new password replaces it; a pending one does not sign in`, () => withStore(async (s) => {
    const u = await seed(s);
    const hashed = await s.users.create({ id: newId('00u'), login: 'pw@example.com', email: 'pw@example.com', firstName: '', lastName: '', locale: 'en_US', status: 'ACTIVE', passwordHash: 'h1', createdAt: now });
    assert.equal(hashed.passwordHash, 'h1');
    const kinds = (await s.enrollments.listForUser(hashed.id)).map((e) => e.authenticator).sort();
    assert.deepEqual(kinds, ['okta_email', 'okta_password']);
    await s.users.setPasswordHash(hashed.id, 'h2', now + 1);
    assert.equal((await s.users.findByLogin('PW@example.com'))!.passwordHash, 'h2');
    assert.equal((await s.enrollments.listForUser(hashed.id)).filter((e) => e.authenticator === 'okta_password').length, 1, 'still one password');
    const password = (await s.enrollments.listForUser(hashed.id)).find((e) => e.authenticator === 'okta_password')!;
    await s.enrollments.put({ ...password, status: 'PENDING' });
    assert.equal((await s.users.findById(hashed.id))!.passwordHash, null, 'a pending password is no password');
    await s.users.setPasswordHash(u.id, 'h3', now);
    assert.equal((await s.users.findById(u.id))!.passwordHash, 'h3', 'a user without a password gets one');
    await s.enrollments.touch(password.id, now + 5);
    assert.equal((await s.enrollments.listForUser(hashed.id)).find((e) => e.id === password.id)!.lastUsedAt, now + 5);
  }));

  test(`${name}: an enrollment's counter only goes up, once under concurrency; a zero counter may stay zero; remove deletes`, () => withStore(async (s) => {
    const u = await seed(s);
    const e = { id: newId('uft'), userId: u.id, authenticator: 'google_otp' as const, status: 'ACTIVE' as const, config: { secret: 'sealed' }, counter: 10, createdAt: now, lastUsedAt: null };
    await s.enrollments.put(e);
    const results = await Promise.all(Array.from({ length: 10 }, () => s.enrollments.advanceCounter(e.id, 11, now)));
    assert.equal(results.filter(Boolean).length, 1, 'the same step is accepted once');
    assert.equal(await s.enrollments.advanceCounter(e.id, 11, now), false);
    assert.equal(await s.enrollments.advanceCounter(e.id, 9, now), false, 'never backwards');
    const key = { ...e, id: newId('fwf'), authenticator: 'webauthn' as const, counter: 0 };
    await s.enrollments.put(key);
    assert.equal(await s.enrollments.advanceCounter(key.id, 0, now), true, 'an authenticator without a counter');
    assert.equal(await s.enrollments.remove(key.id), true);
    assert.equal(await s.enrollments.remove(key.id), false);
    assert.equal((await s.enrollments.listForUser(u.id)).find((x) => x.id === e.id)!.counter, 11);
  }));

  test(`${name}: a recovery token is consumed once, under concurrency too, and never after it expires`, () => withStore(async (s) => {
    const u = await seed(s);
    await s.recoveryTokens.create({ tokenHash: 'rt1', userId: u.id, expiresAt: now + 1000, createdAt: now });
    const results = await Promise.all(Array.from({ length: 10 }, () => s.recoveryTokens.consume('rt1', now)));
    assert.deepEqual(results.filter((r) => r !== null), [u.id]);
    await s.recoveryTokens.create({ tokenHash: 'rt2', userId: u.id, expiresAt: now + 1000, createdAt: now });
    assert.equal(await s.recoveryTokens.consume('rt2', now + 1000), null);
    assert.equal(await s.recoveryTokens.consume('unknown', now), null);
  }));

  test(`${name}: a transaction's flow context round-trips; revoking a user's grants leaves other users' grants alone`, () => withStore(async (s) => {
    const u = await seed(s);
    const t = tx({ context: { intent: 'CREDENTIAL_RECOVERY', satisfied: ['okta_email'], otp: { hash: 'x', expiresAt: now, failures: 1, sends: 2, sentAt: now } } });
    await s.transactions.create(t);
    assert.deepEqual((await s.transactions.findByStateHandle(t.stateHandleHash, now))!.context, t.context);
    assert.equal(await s.transactions.update({ ...t, context: { intent: 'LOGIN' } }, 1), true);
    assert.deepEqual((await s.transactions.findByStateHandle(t.stateHandleHash, now))!.context, { intent: 'LOGIN' });
    const other = await s.users.create({ id: newId('00u'), login: 'other@example.com', email: 'other@example.com', firstName: '', lastName: '', locale: 'en_US', status: 'ACTIVE', passwordHash: null, createdAt: now });
    const mine: Grant = { id: newId('gr'), clientId: 'app1', userId: u.id, authServerId: 'default', scopes: ['openid'], amr: [], authTime: now, createdAt: now, revokedAt: null };
    const theirs: Grant = { ...mine, id: newId('gr'), userId: other.id };
    await s.tokens.createGrant(mine, null);
    await s.tokens.createGrant(theirs, null);
    await s.tokens.revokeGrantsForUser(u.id, now);
    assert.equal((await s.tokens.findGrant(mine.id))!.revokedAt, now);
    assert.equal((await s.tokens.findGrant(theirs.id))!.revokedAt, null);
  }));
  test(`${name}: the org's brand and an app's override are stored apart, replaced by set, and null until set`, () => withStore(async (s) => {
    assert.equal(await s.brands.get(null), null);
    assert.equal(await s.brands.get('0oaBrand'), null);
    const org = { name: 'Acme', logoUrl: 'https://acme.example/logo.svg', primaryColor: '#0a7', background: null };
    await s.brands.set(null, org, now);
    await s.brands.set('0oaBrand', { name: null, logoUrl: null, primaryColor: '#123456', background: '#fafafa' }, now);
    assert.deepEqual(await s.brands.get(null), org);
    await s.brands.set(null, { ...org, primaryColor: null }, now + 1);
    assert.deepEqual(await s.brands.get(null), { ...org, primaryColor: null });
    assert.deepEqual(await s.brands.get('0oaBrand'), { name: null, logoUrl: null, primaryColor: '#123456', background: '#fafafa' });
  }));

  // --- The management API (issue 11) ---

  const person = (s: Store, i: number, over: Record<string, unknown> = {}) => s.users.create({ id: newId('00u'), login: `p${i}@example.com`, email: `p${i}@example.com`,
    firstName: `First${i}`, lastName: i % 2 ? 'Lovelace' : 'Hopper', locale: 'en_US', status: 'ACTIVE', passwordHash: 'h', createdAt: now + i, ...over } as Parameters<Store['users']['create']>[0]);

  test(`${name}: users page in creation order by cursor; filters are compiled with parameters (a % matches only a %)`, () => withStore(async (s) => {
    for (let i = 0; i < 5; i++) await person(s, i);
    const seen: string[] = [];
    let after: string | undefined;
    for (let pages = 0; pages < 5; pages++) {
      const p = await s.users.page({ limit: 2, after, now });
      seen.push(...p.items.map((u) => u.login));
      if (!p.next) break;
      after = p.next;
    }
    assert.deepEqual(seen, [0, 1, 2, 3, 4].map((i) => `p${i}@example.com`));
    const love = await s.users.page({ where: { op: 'sw', attr: 'profile.lastName', value: 'LOVE' }, limit: 10, now });
    assert.deepEqual(love.items.map((u) => u.login), ['p1@example.com', 'p3@example.com']);
    assert.equal((await s.users.page({ where: { op: 'sw', attr: 'profile.lastName', value: '%' }, limit: 10, now })).items.length, 0);
    assert.equal((await s.users.page({ where: { op: 'eq', attr: 'profile.email', value: "p2@example.com' OR '1'='1" }, limit: 10, now })).items.length, 0);
    const recent = await s.users.page({ where: { op: 'and', terms: [{ op: 'gt', attr: 'created', value: now + 2 }, { op: 'eq', attr: 'status', value: 'ACTIVE' }] }, limit: 10, now });
    assert.deepEqual(recent.items.map((u) => u.login), ['p3@example.com', 'p4@example.com']);
    await assert.rejects(s.users.page({ limit: 1, after: 'not-a-cursor', now }));
  }));

  test(`${name}: a user's API status comes from the lifecycle and the credentials; profile updates and deletes only after deactivation`, () => withStore(async (s) => {
    const staged = await person(s, 1, { status: 'STAGED' });
    const noPassword = await person(s, 2, { passwordHash: null });
    const locked = await person(s, 3);
    await s.users.recordFailure(locked.id, now, { maxAttempts: 1, durationSeconds: 60 });
    const expired = await person(s, 4);
    await s.users.setPasswordExpired(expired.id, true, now);
    const statuses = Object.fromEntries((await s.users.page({ limit: 10, now })).items.map((u) => [u.id, u.apiStatus]));
    assert.deepEqual([statuses[staged.id], statuses[noPassword.id], statuses[locked.id], statuses[expired.id]], ['STAGED', 'PROVISIONED', 'LOCKED_OUT', 'PASSWORD_EXPIRED']);
    const byStatus = await s.users.page({ where: { op: 'eq', attr: 'status', value: 'LOCKED_OUT' }, limit: 10, now });
    assert.deepEqual(byStatus.items.map((u) => u.id), [locked.id]);
    assert.equal((await s.users.findById(staged.id))!.activatedAt, null);
    await s.users.setStatus(staged.id, 'ACTIVE', now + 5);
    assert.equal((await s.users.findById(staged.id))!.activatedAt, now + 5);
    assert.equal(await s.users.updateProfile(noPassword.id, { login: 'new@example.com', email: 'new@example.com', firstName: 'N', lastName: 'E', locale: 'fr_FR' }, now), true);
    assert.equal((await s.users.findByLogin('NEW@example.com'))?.id, noPassword.id);
    assert.equal((await s.enrollments.listForUser(noPassword.id)).find((e) => e.authenticator === 'okta_email')?.config.email, 'new@example.com');
    assert.equal(await s.users.delete(noPassword.id), false, 'an active user is not deleted');
    await s.users.setStatus(noPassword.id, 'DEPROVISIONED', now);
    assert.equal(await s.users.delete(noPassword.id), true);
    assert.equal(await s.users.findById(noPassword.id), null);
  }));

  test(`${name}: groups have unique names without regard to case; membership is idempotent and pages like users`, () => withStore(async (s) => {
    const [a, b] = [await person(s, 1), await person(s, 2)];
    const g = { id: newId('00g'), name: 'Engineers', description: '', createdAt: now, updatedAt: now, membershipUpdatedAt: now };
    assert.equal(await s.groups.create(g), true);
    assert.equal(await s.groups.create({ ...g, id: newId('00g'), name: 'ENGINEERS' }), false);
    const other = { ...g, id: newId('00g'), name: 'Admins', createdAt: now + 1 };
    await s.groups.create(other);
    assert.equal(await s.groups.update(other.id, { name: 'engineers', description: '' }, now), 'conflict');
    assert.equal(await s.groups.update('00gnope', { name: 'x', description: '' }, now), 'missing');
    await Promise.all([s.groups.addMember(g.id, a.id, now + 2), s.groups.addMember(g.id, a.id, now + 2), s.groups.addMember(g.id, b.id, now + 3)]);
    assert.equal(await s.groups.addMember(g.id, '00unope', now), false);
    assert.deepEqual((await s.users.page({ groupId: g.id, limit: 10, now })).items.map((u) => u.id), [a.id, b.id]);
    assert.deepEqual((await s.groups.listForUser(a.id)).map((x) => x.id), [g.id]);
    assert.equal((await s.groups.findById(g.id))!.membershipUpdatedAt, now + 3);
    await s.groups.removeMember(g.id, a.id, now + 4);
    assert.deepEqual((await s.users.page({ groupId: g.id, limit: 10, now })).items.map((u) => u.id), [b.id]);
    const named = await s.groups.page({ where: { op: 'sw', attr: 'profile.name', value: 'eng' }, limit: 10 });
    assert.deepEqual(named.items.map((x) => x.id), [g.id]);
    assert.equal(await s.groups.delete(g.id), true);
    assert.deepEqual(await s.groups.listForUser(b.id), []);
  }));

  test(`${name}: API tokens are found by hash until revoked, and revoked once`, () => withStore(async (s) => {
    const t = { id: newId('00T'), name: 'ci', tokenHash: sha256('secret-token'), readOnly: true, createdAt: now, revokedAt: null };
    await s.apiTokens.create(t);
    assert.deepEqual(await s.apiTokens.findByHash(t.tokenHash), t);
    const rs = await Promise.all([s.apiTokens.revoke(t.id, now), s.apiTokens.revoke(t.id, now)]);
    assert.deepEqual(rs.sort(), [false, true]);
    assert.equal(await s.apiTokens.findByHash(t.tokenHash), null);
    assert.equal((await s.apiTokens.list())[0]!.revokedAt, now);
  }));

  test(`${name}: events page oldest first between since and until, by cursor, filtered by type and actor`, () => withStore(async (s) => {
    for (let i = 0; i < 5; i++) await s.events.append({ type: i % 2 ? 'user.lifecycle.create' : 'signin.success', at: now + i, userId: `u${i}`, actorId: i === 4 ? '00Tx' : null });
    const p1 = await s.events.page({ since: now + 1, until: now + 5, limit: 2 });
    assert.deepEqual(p1.items.map((e) => e.userId), ['u1', 'u2']);
    const p2 = await s.events.page({ since: now + 1, until: now + 5, limit: 2, after: p1.next! });
    assert.deepEqual(p2.items.map((e) => e.userId), ['u3', 'u4']);
    assert.equal(p2.next, null);
    const desc = await s.events.page({ since: now, until: now + 5, limit: 10, descending: true, where: { op: 'in', attr: 'type', values: ['signin.success'] } });
    assert.deepEqual(desc.items.map((e) => e.userId), ['u4', 'u2', 'u0']);
    assert.equal((await s.events.page({ since: now, until: now + 5, limit: 10, where: { op: 'eq', attr: 'actorId', value: '00Tx' } })).items[0]!.actorId, '00Tx');
  }));

  test(`${name}: an INACTIVE app is not found for sign-in, is found for administration, and only then can be deleted`, () => withStore(async (s) => {
    await seed(s);
    assert.equal(await s.apps.delete('app1'), false);
    await s.apps.setStatus('app1', 'INACTIVE');
    assert.equal(await s.apps.findByClientId('app1'), null);
    assert.equal((await s.apps.findAnyByClientId('app1'))?.status, 'INACTIVE');
    assert.equal(await s.apps.delete('app1'), true);
    assert.equal(await s.apps.findAnyByClientId('app1'), null);
  }));

  // Event hooks (issue 11): the delivery queue is filled by events.append and drained under leases.
  const hook = (id: string, over: Partial<EventHook> = {}): Omit<EventHook, 'pending'> => ({
    id, name: id, url: 'https://hooks.example/' + id, authHeader: 'Authorization', authValueSealed: 'sealed', events: ['user.session.start'],
    status: 'ACTIVE', verificationStatus: 'VERIFIED', createdAt: now, updatedAt: now, lastDeliveryAt: null, lastAttemptAt: null, lastError: null,
    failures: 0, delivered: 0, ...over,
  });

  test(`${name}: events are queued only for ACTIVE, VERIFIED hooks that receive their type; a batch is delivered once and leaves the queue`, () => withStore(async (s) => {
    await s.eventHooks.create(hook('whoA'), ['user.session.start', 'signin.success']);
    await s.eventHooks.create(hook('whoB', { verificationStatus: 'UNVERIFIED' }), ['signin.success']);
    await s.eventHooks.create(hook('whoC', { status: 'INACTIVE' }), ['signin.success']);
    const first = await s.events.append({ type: 'signin.success', at: now, userId: 'u1' });
    await s.events.append({ type: 'token.issue', at: now + 1 });
    const second = await s.events.append({ type: 'user.session.start', at: now + 2, userId: 'u2' });
    assert.ok(second > first, 'append returns the event id');
    assert.deepEqual((await s.eventHooks.list()).map((h) => [h.id, h.pending]), [['whoA', 2], ['whoB', 0], ['whoC', 0]]);
    const b = (await s.eventHooks.claim('one', now + 5, 60_000, 10))!;
    assert.equal(b.hook.id, 'whoA');
    assert.deepEqual(b.events.map((e) => [e.id, e.type]), [[first, 'signin.success'], [second, 'user.session.start']]);
    assert.equal(await s.eventHooks.claim('two', now + 5, 60_000, 10), null, 'the hook has a batch out');
    assert.equal(await s.eventHooks.complete(b, 'two', now + 6), 0, 'only the owner completes');
    assert.equal(await s.eventHooks.complete(b, 'one', now + 6), 2);
    const h = (await s.eventHooks.findById('whoA'))!;
    assert.deepEqual([h.pending, h.delivered, h.lastDeliveryAt, h.failures], [0, 2, now + 6, 0]);
    assert.equal(await s.eventHooks.claim('one', now + 7, 60_000, 10), null);
  }));

  test(`${name}: ten parallel claimers never get the same queue row; a failed batch comes back after its retry time, an expired lease at once`, () => withStore(async (s) => {
    for (const id of ['whoA', 'whoB', 'whoC']) await s.eventHooks.create(hook(id), ['signin.success']);
    for (let i = 0; i < 4; i++) await s.events.append({ type: 'signin.success', at: now, userId: 'u' + i });
    // Rounds of ten at once until nothing is left (on PostgreSQL a claimer that lost a race for a hook's rows gets null).
    const claims: { owner: string; b: HookBatch }[] = [];
    for (let round = 0; round < 10; round++) {
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => s.eventHooks.claim(`w${round}.${i}`, now + 1, 60_000, 100).then((b) => ({ owner: `w${round}.${i}`, b }))));
      claims.push(...(results.filter((r) => r.b !== null) as { owner: string; b: HookBatch }[]));
      if (results.every((r) => r.b === null)) break;
    }
    const rows = claims.flatMap((c) => c.b.ids);
    assert.equal(new Set(rows).size, rows.length, 'no row in two batches');
    assert.equal(rows.length, 12, 'every row of the three hooks claimed, once');
    assert.equal(new Set(claims.map((c) => c.b.hook.id)).size, claims.length, 'one batch per hook at a time');
    const [x] = claims as [{ owner: string; b: HookBatch }];
    await s.eventHooks.fail(x.b, 'stranger', now + 2, now + 2, 'HTTP 500');
    assert.equal(await s.eventHooks.claim('w9', now + 3, 60_000, 100), null, 'a stranger cannot hand back rows it does not hold');
    assert.equal((await s.eventHooks.findById(x.b.hook.id))!.failures, 0);
    await s.eventHooks.fail(x.b, x.owner, now + 2, now + 1000, 'HTTP 500');
    assert.deepEqual([(await s.eventHooks.findById(x.b.hook.id))!.failures, (await s.eventHooks.findById(x.b.hook.id))!.lastError], [1, 'HTTP 500']);
    assert.equal(await s.eventHooks.claim('w9', now + 999, 60_000, 100), null, 'not before the retry time');
    const again = (await s.eventHooks.claim('w9', now + 1000, 60_000, 100))!;
    assert.deepEqual([again.hook.id, again.ids, again.attempts], [x.b.hook.id, x.b.ids, 1]);
    assert.equal(await s.eventHooks.claim('w8', now + 1000, 60_000, 100), null, "y's lease still lives");
    // Both other hooks' leases (y's and the third's) end at now + 1 + 60 000; which one comes first depends on
    // which parallel claimer won which hook above, so the assertions name whichever was taken.
    const stolen = (await s.eventHooks.claim('w8', now + 1 + 60_000, 60_000, 100))!;
    const expired = claims.find((c) => c.b.hook.id === stolen.hook.id)!;
    assert.notEqual(stolen.hook.id, x.b.hook.id, "x's renewed lease still lives");
    assert.deepEqual(stolen.ids, expired.b.ids, 'an expired lease is claimed again, with the same rows');
    assert.equal(await s.eventHooks.complete(expired.b, expired.owner, now + 60_002), 0, 'the old owner no longer holds it');
    await s.eventHooks.release(stolen, 'w8');
    assert.deepEqual((await s.eventHooks.claim('w7', now + 1 + 60_000, 60_000, 100))?.ids, expired.b.ids, 'released rows are due at once');
  }));

  test(`${name}: an event hook is deleted only once deactivated, with its queue; its status and verification change`, () => withStore(async (s) => {
    await s.eventHooks.create(hook('whoA', { verificationStatus: 'UNVERIFIED' }), ['signin.success']);
    assert.equal(await s.events.append({ type: 'signin.success', at: now }) > 0, true);
    assert.equal((await s.eventHooks.findById('whoA'))!.pending, 0, 'unverified: nothing queued');
    assert.equal(await s.eventHooks.setVerified('whoA', now), true);
    await s.events.append({ type: 'signin.success', at: now });
    assert.equal((await s.eventHooks.findById('whoA'))!.pending, 1);
    assert.equal(await s.eventHooks.delete('whoA'), false, 'still ACTIVE');
    assert.equal(await s.eventHooks.setStatus('whoA', 'INACTIVE', now), true);
    assert.equal(await s.eventHooks.claim('w', now, 60_000, 10), null, 'an INACTIVE hook gets nothing');
    assert.equal(await s.eventHooks.delete('whoA'), true);
    assert.equal(await s.eventHooks.findById('whoA'), null);
    assert.equal(await s.eventHooks.setStatus('whoX', 'ACTIVE', now), false);
  }));
}
