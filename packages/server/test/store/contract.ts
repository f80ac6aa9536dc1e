// The Store contract: what every implementation must do, run unchanged against each database (STYLE §5).
// Today SQLite; a PostgreSQL store must pass the same suite.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Grant, OneTimeCode, SigningKey, Store, Transaction } from '../../src/store/interfaces.js';
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
    await s.apps.create({ clientId: 'app1', name: 'a', type: 'web', secretHash: null, redirectUris: ['https://a/cb'], postLogoutRedirectUris: [], grantTypes: ['interaction_code'], authMethod: 'none', signIn: 'password-first', jwks: null, frameAncestors: [], pkceRequired: true, emailVerifyUri: null, createdAt: now });
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
}
