// The Store, written once over a Db (db.ts): every statement is here, parameterised with `?`, in SQL that
// SQLite and PostgreSQL both accept (ON CONFLICT … DO NOTHING / DO UPDATE, UPDATE … RETURNING). Every
// one-time artefact is consumed by one conditional UPDATE … RETURNING, in the transaction that writes what it
// buys; counters are single atomic statements; key changes run under the 'keys' lock.
import type { App, AuditEvent, AuthServer, Enrollment, Grant, IdpSession, OneTimeCode, OrgPolicy, RefreshOutcome, RefreshToken, SigningKey, Store, Transaction } from '../interfaces.js';
import type { Db, Sql } from './db.js';
import { toApp, toCode, toEnrollment, toEvent, toGrant, toKey, toRefreshToken, toServer, toSession, toTransaction, toUser } from './rows.js';
import { apiTokenStore, eventPage, groupStore, userPage } from './directory.js';
import { eventHookStore } from './event-hooks.js';

const json = (v: unknown) => JSON.stringify(v);
const HOUR = 3600_000;
const DAY = 24 * HOUR;

// A user comes with the password enrollment's config, so a sign-in reads the hash in the same statement.
const USER_WITH_PASSWORD = `SELECT users.*, e.config AS password_config FROM users
  LEFT JOIN enrollments e ON e.user_id = users.id AND e.authenticator = 'okta_password' AND e.status = 'ACTIVE'`;
const USER_BY_ID = `${USER_WITH_PASSWORD} WHERE users.id = ?`;
const GRANT_BY_ID = 'SELECT * FROM grants WHERE id = ?';
const REVOKE_GRANT = 'UPDATE grants SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL';
const INSERT_REFRESH = 'INSERT INTO refresh_tokens (token_hash, grant_id, expires_at) VALUES (?, ?, ?)';
const LIVE_KEY_STATUSES = `SELECT status FROM signing_keys WHERE status IN ('active', 'next')`;
const BUMP_KEY_GENERATION = 'UPDATE key_generation SET gen = gen + 1 WHERE id = 1';

export function sqlStore(db: Db): Store {
  const updateTransaction = async (s: Sql, t: Transaction, expectedVersion: number) =>
    (await s.run(`UPDATE transactions SET step = ?, context = ?, user_id = ?, identifier = ?, amr = ?, auth_time = ?, remember_me = ?,
      version = version + 1 WHERE id = ? AND version = ?`,
    [t.step, json(t.context), t.userId, t.identifier, json(t.amr), t.authTime, db.bool(t.rememberMe), t.id, expectedVersion])) === 1;

  const insertCode = (s: Sql, c: OneTimeCode) =>
    s.run(`INSERT INTO codes (code_hash, kind, client_id, auth_server_id, redirect_uri, scopes, nonce, code_challenge, user_id, amr,
      auth_time, session_id, transaction_id, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [c.codeHash, c.kind, c.clientId, c.authServerId, c.redirectUri, json(c.scopes), c.nonce, c.codeChallenge, c.userId, json(c.amr),
      c.authTime, c.sessionId, c.transactionId, c.expiresAt]);

  const insertSession = (s: Sql, x: IdpSession) =>
    s.run('INSERT INTO idp_sessions (id, id_hash, user_id, amr, auth_time, expires_at) VALUES (?, ?, ?, ?, ?, ?)',
      [x.id, x.idHash, x.userId, json(x.amr), x.authTime, x.expiresAt]);

  const insertGrant = async (s: Sql, g: Grant, refresh: RefreshToken | null) => {
    await s.run(`INSERT INTO grants (id, client_id, user_id, auth_server_id, scopes, amr, auth_time, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, [g.id, g.clientId, g.userId, g.authServerId, json(g.scopes), json(g.amr), g.authTime, g.createdAt]);
    if (refresh) await s.run(INSERT_REFRESH, [refresh.tokenHash, refresh.grantId, refresh.expiresAt]);
  };

  const insertKey = (s: Sql, k: SigningKey, status: string, now: number) =>
    s.run('INSERT INTO signing_keys (kid, status, public_jwk, private_jwe, created_at, remove_after) VALUES (?, ?, ?, ?, ?, ?)',
      [k.kid, status, json(k.publicJwk), k.privateJwe, now, k.removeAfter]);

  const liveKeyStatuses = async (s: Sql) => new Set((await s.all<{ status: string }>(LIVE_KEY_STATUSES)).map((r) => r.status));

  const appColumns = (a: App) => [a.name, a.secretHash, json(a.redirectUris), json(a.postLogoutRedirectUris), json(a.grantTypes),
    a.authMethod, a.signIn, a.jwks ? json(a.jwks) : null, json(a.frameAncestors), db.bool(a.pkceRequired), a.emailVerifyUri, a.assurance, a.rememberDeviceMinutes];

  const insertEnrollment = (s: Sql, e: Enrollment) =>
    s.run('INSERT INTO enrollments (id, user_id, authenticator, status, config, counter, created_at, last_used_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      [e.id, e.userId, e.authenticator, e.status, json(e.config), e.counter, e.createdAt, e.lastUsedAt]);

  const eventHooks = eventHookStore(db);

  return {
    kind: db.kind,
    users: {
      async create(u) {
        // The user, their email and their password (when given) in one write: never a user without credentials rows.
        await db.transaction(async (t) => {
          const activatedAt = u.status === 'STAGED' ? null : u.createdAt;
          await t.run(`INSERT INTO users (id, login, login_lower, email, email_lower, first_name, last_name, locale, status,
            created_at, updated_at, activated_at, status_changed_at, password_changed_at, profile) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, [u.id, u.login, u.login.toLowerCase(), u.email,
            u.email.toLowerCase(), u.firstName, u.lastName, u.locale, u.status, u.createdAt, u.createdAt, activatedAt, activatedAt, u.passwordHash ? u.createdAt : null,
            json(u.profile ?? {})]);
          await insertEnrollment(t, { id: 'eae' + u.id.slice(3), userId: u.id, authenticator: 'okta_email', status: 'ACTIVE', config: { email: u.email }, counter: 0, createdAt: u.createdAt, lastUsedAt: null });
          if (u.passwordHash) {
            await insertEnrollment(t, { id: 'lae' + u.id.slice(3), userId: u.id, authenticator: 'okta_password', status: 'ACTIVE', config: { hash: u.passwordHash }, counter: 0, createdAt: u.createdAt, lastUsedAt: null });
          }
        });
        return toUser((await db.get(USER_BY_ID, [u.id]))!);
      },
      async findById(id) {
        const r = await db.get(USER_BY_ID, [id]);
        return r ? toUser(r) : null;
      },
      async findByLogin(login) {
        const l = login.toLowerCase();
        const r = await db.get(`${USER_WITH_PASSWORD} WHERE users.login_lower = ? OR users.email_lower = ? LIMIT 1`, [l, l]);
        return r ? toUser(r) : null;
      },
      list: async () => (await db.all(`${USER_WITH_PASSWORD} ORDER BY users.created_at`)).map(toUser),
      setStatus: async (id, status, now) => (await db.run(`UPDATE users SET status_changed_at = CASE WHEN status <> ? THEN ? ELSE status_changed_at END,
        activated_at = CASE WHEN ? = 'ACTIVE' AND activated_at IS NULL THEN ? ELSE activated_at END, status = ?, updated_at = ? WHERE id = ?`,
      [status, now, status, now, status, now, id])) === 1,
      setProfileValues: async (id, profile, now) => (await db.run('UPDATE users SET profile = ?, updated_at = ? WHERE id = ?', [json(profile), now, id])) === 1,
      async setPasswordHash(id, hash, now) {
        await db.transaction(async (t) => {
          const config = json({ hash });
          const replaced = await t.run(`UPDATE enrollments SET config = ?, status = 'ACTIVE' WHERE user_id = ? AND authenticator = 'okta_password'`, [config, id]);
          if (replaced === 0) await insertEnrollment(t, { id: 'lae' + id.slice(3), userId: id, authenticator: 'okta_password', status: 'ACTIVE', config: { hash }, counter: 0, createdAt: now, lastUsedAt: null });
          await t.run('UPDATE users SET updated_at = ?, password_changed_at = ?, password_expired = ? WHERE id = ?', [now, now, db.bool(false), id]);
        });
      },
      async recordFailure(id, now, policy) {
        const r = await db.get<{ failed_attempts: number; locked_until: number | null }>(`UPDATE users SET failed_attempts = failed_attempts + 1,
            locked_until = CASE WHEN failed_attempts + 1 >= ? AND (locked_until IS NULL OR locked_until <= ?) THEN ? ELSE locked_until END,
            updated_at = ?
          WHERE id = ? RETURNING failed_attempts, locked_until`, [policy.maxAttempts, now, now + policy.durationSeconds * 1000, now, id]);
        if (!r) return { failedAttempts: 0, lockedUntil: null, justLocked: false };
        return { failedAttempts: r.failed_attempts, lockedUntil: r.locked_until, justLocked: r.failed_attempts === policy.maxAttempts };
      },
      recordSuccess: async (id, now) => (await db.run(`UPDATE users SET failed_attempts = 0, locked_until = NULL, last_login_at = ?
        WHERE id = ? AND (locked_until IS NULL OR locked_until <= ?)`, [now, id, now])) === 1,
      unlock: async (id, now) => (await db.run(`UPDATE users SET failed_attempts = 0, locked_until = NULL,
        status = CASE WHEN status = 'LOCKED_OUT' THEN 'ACTIVE' ELSE status END, updated_at = ? WHERE id = ?`, [now, id])) === 1,
      page: (q) => userPage(db, q),
      updateProfile: (id, p, now) => db.transaction(async (t) => {
        const changed = await t.run(`UPDATE users SET login = ?, login_lower = ?, email = ?, email_lower = ?, first_name = ?, last_name = ?, locale = ?,
          updated_at = ? WHERE id = ?`, [p.login, p.login.toLowerCase(), p.email, p.email.toLowerCase(), p.firstName, p.lastName, p.locale, now, id]);
        await t.run(`UPDATE enrollments SET config = ? WHERE user_id = ? AND authenticator = 'okta_email'`, [json({ email: p.email }), id]);
        return changed === 1;
      }),
      setPasswordExpired: async (id, expired, now) => (await db.run('UPDATE users SET password_expired = ?, updated_at = ? WHERE id = ?',
        [db.bool(expired), now, id])) === 1,
      delete: async (id) => (await db.run(`DELETE FROM users WHERE id = ? AND status = 'DEPROVISIONED'`, [id])) === 1,
    },
    apps: {
      async create(a) {
        await db.run(`INSERT INTO apps (name, secret_hash, redirect_uris, post_logout_redirect_uris, grant_types, auth_method, sign_in, jwks,
          frame_ancestors, pkce_required, email_verify_uri, assurance, remember_device_minutes, client_id, type, created_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [...appColumns(a), a.clientId, a.type, a.createdAt]);
        return a;
      },
      async findByClientId(clientId) {
        const r = await db.get(`SELECT * FROM apps WHERE client_id = ? AND status = 'ACTIVE'`, [clientId]);
        return r ? toApp(r) : null;
      },
      async findAnyByClientId(clientId) {
        const r = await db.get('SELECT * FROM apps WHERE client_id = ?', [clientId]);
        return r ? toApp(r) : null;
      },
      setStatus: async (clientId, status) => (await db.run('UPDATE apps SET status = ? WHERE client_id = ?', [status, clientId])) === 1,
      delete: async (clientId) => (await db.run(`DELETE FROM apps WHERE client_id = ? AND status = 'INACTIVE'`, [clientId])) === 1,
      list: async () => (await db.all('SELECT * FROM apps ORDER BY created_at')).map(toApp),
      update: async (a) => (await db.run(`UPDATE apps SET name = ?, secret_hash = ?, redirect_uris = ?, post_logout_redirect_uris = ?,
        grant_types = ?, auth_method = ?, sign_in = ?, jwks = ?, frame_ancestors = ?, pkce_required = ?, email_verify_uri = ?, assurance = ?,
        remember_device_minutes = ? WHERE client_id = ?`,
      [...appColumns(a), a.clientId])) === 1,
    },
    origins: {
      isTrusted: async (origin) => (await db.get('SELECT 1 AS one FROM trusted_origins WHERE origin = ?', [origin])) !== undefined,
      async add(origin, now) {
        await db.run('INSERT INTO trusted_origins (origin, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING', [origin, now]);
      },
      list: async () => (await db.all<{ origin: string }>('SELECT origin FROM trusted_origins ORDER BY origin')).map((r) => r.origin),
      remove: async (origin) => (await db.run('DELETE FROM trusted_origins WHERE origin = ?', [origin])) === 1,
    },
    servers: {
      async findById(id) {
        const r = await db.get('SELECT * FROM auth_servers WHERE id = ?', [id]);
        return r ? toServer(r) : null;
      },
      list: async () => (await db.all('SELECT * FROM auth_servers ORDER BY id')).map(toServer),
      create: async (s: AuthServer) => (await db.run(`INSERT INTO auth_servers (id, issuer_path, audiences, scopes, access_token_ttl,
        id_token_ttl, refresh_token_ttl) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      [s.id, s.issuerPath, json(s.audiences), json(s.scopes), s.accessTokenTtl, s.idTokenTtl, s.refreshTokenTtl])) === 1,
    },
    keys: {
      list: async () => (await db.all('SELECT * FROM signing_keys ORDER BY created_at')).map(toKey),
      generation: async () => (await db.get<{ gen: number }>('SELECT gen FROM key_generation WHERE id = 1'))!.gen,
      async ensure(now, make) {
        // Keys are made outside the lock (RSA generation is slow), then inserted only where still missing.
        const have = await liveKeyStatuses(db);
        const missing = ['active', 'next'].filter((status) => !have.has(status)).length;
        if (missing === 0) return;
        const made: SigningKey[] = [];
        for (let i = 0; i < missing; i++) made.push(await make());
        await db.transaction(async (t) => {
          const present = await liveKeyStatuses(t);
          let i = 0;
          for (const status of ['active', 'next']) {
            if (present.has(status)) continue;
            const k = made[i++];
            if (!k) break;
            await insertKey(t, k, status, now);
          }
          await t.run(BUMP_KEY_GENERATION);
        }, { lock: 'keys' });
      },
      async rotate(now, removeAfter, next) {
        await db.transaction(async (t) => {
          await t.run(`DELETE FROM signing_keys WHERE status = 'retired' AND remove_after <= ?`, [now]);
          await t.run(`UPDATE signing_keys SET status = 'retired', remove_after = ? WHERE status = 'active'`, [removeAfter]);
          await t.run(`UPDATE signing_keys SET status = 'active' WHERE status = 'next'`);
          await insertKey(t, next, 'next', now);
          await t.run(BUMP_KEY_GENERATION);
        }, { lock: 'keys' });
      },
    },
    transactions: {
      async create(t) {
        await db.run(`INSERT INTO transactions (id, state_handle_hash, interaction_handle_hash, client_id, auth_server_id, redirect_uri,
          scopes, state, nonce, code_challenge, kind, login_hint, identifier, step, context, user_id, amr, auth_time, remember_me, version, created_at,
          expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, [t.id, t.stateHandleHash, t.interactionHandleHash,
          t.clientId, t.authServerId, t.redirectUri, json(t.scopes), t.state, t.nonce, t.codeChallenge, t.kind, t.loginHint, t.identifier, t.step,
          json(t.context), t.userId, json(t.amr), t.authTime, db.bool(t.rememberMe), t.version, t.createdAt, t.expiresAt]);
      },
      async findByStateHandle(hash, now) {
        const r = await db.get('SELECT * FROM transactions WHERE state_handle_hash = ? AND expires_at > ?', [hash, now]);
        return r ? toTransaction(r) : null;
      },
      async findByInteractionHandle(hash, now) {
        const r = await db.get('SELECT * FROM transactions WHERE interaction_handle_hash = ? AND expires_at > ?', [hash, now]);
        return r ? toTransaction(r) : null;
      },
      update: (t, expectedVersion) => updateTransaction(db, t, expectedVersion),
      completeWithCode: (tx, expectedVersion, code, session) => db.transaction(async (t) => {
        if (!(await updateTransaction(t, tx, expectedVersion))) return false;
        await insertCode(t, code);
        if (session) await insertSession(t, session);
        return true;
      }),
    },
    codes: {
      async create(code) {
        await insertCode(db, code);
      },
      redeem: (codeHash, kind, now, parts) => db.transaction(async (t) => {
        const row = await t.get(`UPDATE codes SET consumed_at = ? WHERE code_hash = ? AND kind = ? AND consumed_at IS NULL AND expires_at > ?
          RETURNING *`, [now, codeHash, kind, now]);
        if (!row) {
          const old = await t.get('SELECT consumed_at, grant_id FROM codes WHERE code_hash = ? AND kind = ?', [codeHash, kind]);
          if (old && old.consumed_at !== null) {
            if (old.grant_id) await t.run(REVOKE_GRANT, [now, old.grant_id]);
            return { kind: 'replayed' as const, grantId: old.grant_id as string | null };
          }
          return { kind: 'invalid' as const };
        }
        const code = toCode(row);
        const p = parts(code);
        if (!p) return { kind: 'invalid' as const }; // committed: a refused code is burned
        const grant: Grant = { id: p.grantId, clientId: code.clientId, userId: code.userId, authServerId: code.authServerId,
          scopes: code.scopes, amr: code.amr, authTime: code.authTime, createdAt: now, revokedAt: null };
        await insertGrant(t, grant, p.refreshToken);
        await t.run('UPDATE codes SET grant_id = ? WHERE code_hash = ?', [grant.id, codeHash]);
        return { kind: 'redeemed' as const, code: { ...code, grantId: grant.id }, grant };
      }),
    },
    tokens: {
      createGrant: (g, refresh) => db.transaction((t) => insertGrant(t, g, refresh)),
      async findGrant(id) {
        const r = await db.get(GRANT_BY_ID, [id]);
        return r ? toGrant(r) : null;
      },
      async revokeGrant(id, now) {
        await db.run(REVOKE_GRANT, [now, id]);
      },
      async findRefreshToken(hash, now) {
        const r = await db.get(`SELECT g.*, r.token_hash, r.grant_id, r.expires_at, r.consumed_at
          FROM refresh_tokens r JOIN grants g ON g.id = r.grant_id WHERE r.token_hash = ?`, [hash]);
        return r && r.expires_at > now ? toRefreshToken(r) : null;
      },
      rotateRefreshToken: (hash, now, next) => db.transaction(async (t): Promise<RefreshOutcome> => {
        const used = await t.get<{ grant_id: string }>(`UPDATE refresh_tokens SET consumed_at = ? WHERE token_hash = ? AND consumed_at IS NULL
          AND expires_at > ? RETURNING grant_id`, [now, hash, now]);
        if (used) {
          const grant = toGrant((await t.get(GRANT_BY_ID, [used.grant_id]))!);
          if (grant.revokedAt !== null) return { kind: 'invalid' };
          await t.run(INSERT_REFRESH, [next.tokenHash, grant.id, next.expiresAt]);
          return { kind: 'rotated', grant };
        }
        const old = await t.get<{ grant_id: string; consumed_at: number | null }>(
          'SELECT grant_id, consumed_at FROM refresh_tokens WHERE token_hash = ?', [hash]);
        if (old && old.consumed_at !== null) {
          await t.run(REVOKE_GRANT, [now, old.grant_id]);
          return { kind: 'reused', grantId: old.grant_id };
        }
        return { kind: 'invalid' };
      }),
      async revokeJti(jti, expiresAt, now) {
        await db.run('DELETE FROM revoked_jtis WHERE expires_at < ?', [now]);
        return (await db.run('INSERT INTO revoked_jtis (jti, expires_at, revoked_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
          [jti, expiresAt, now])) === 1;
      },
      isJtiRevoked: async (jti) => (await db.get('SELECT 1 AS one FROM revoked_jtis WHERE jti = ?', [jti])) !== undefined,
      async revokeGrantsForUser(userId, now) {
        await db.run('UPDATE grants SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL', [now, userId]);
      },
    },
    sessions: {
      async create(s) {
        await insertSession(db, s);
      },
      async findByIdHash(idHash, now) {
        const r = await db.get('SELECT * FROM idp_sessions WHERE id_hash = ? AND expires_at > ? AND revoked_at IS NULL', [idHash, now]);
        return r ? toSession(r) : null;
      },
      async revoke(id, now) {
        await db.run('UPDATE idp_sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', [now, id]);
      },
      async revokeForUser(userId, now) {
        await db.run('UPDATE idp_sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL', [now, userId]);
      },
    },
    events: {
      // Every event is offered to the event hooks' queue where it is written, so one appended by the CLI or by
      // another instance is delivered too: a second statement that queues nothing unless a verified hook wants the type.
      async append(e: AuditEvent) {
        const id = Number((await db.get<{ id: number }>(`INSERT INTO events (type, at, user_id, client_id, actor_id, detail)
          VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, [e.type, e.at, e.userId ?? null, e.clientId ?? null, e.actorId ?? null, e.detail ? json(e.detail) : null]))!.id);
        await eventHooks.enqueue(id, e.type, e.at);
        return id;
      },
      list: async ({ limit, type, userId }) => (await db.all(`SELECT * FROM events
        WHERE (CAST(? AS TEXT) IS NULL OR type = ?) AND (CAST(? AS TEXT) IS NULL OR user_id = ?) ORDER BY id DESC LIMIT ?`,
      [type ?? null, type ?? null, userId ?? null, userId ?? null, limit])).map(toEvent),
      page: (q) => eventPage(db, q),
    },
    policies: {
      get: async () => JSON.parse((await db.get<{ policy: string }>('SELECT policy FROM org_policy WHERE id = 1'))!.policy) as OrgPolicy,
      async set(p) {
        await db.run('UPDATE org_policy SET policy = ? WHERE id = 1', [json(p)]);
      },
    },
    // The org's default is the row with client_id '' (see migrations 0008_brands.sql).
    brands: {
      async get(clientId) {
        const r = await db.get<{ name: string | null; logo_url: string | null; primary_color: string | null; background: string | null }>(
          'SELECT name, logo_url, primary_color, background FROM brands WHERE client_id = ?', [clientId ?? '']);
        return r ? { name: r.name, logoUrl: r.logo_url, primaryColor: r.primary_color, background: r.background } : null;
      },
      async set(clientId, b, now) {
        await db.run(`INSERT INTO brands (client_id, name, logo_url, primary_color, background, updated_at) VALUES (?, ?, ?, ?, ?, ?)
          ON CONFLICT (client_id) DO UPDATE SET name = excluded.name, logo_url = excluded.logo_url,
            primary_color = excluded.primary_color, background = excluded.background, updated_at = excluded.updated_at`,
        [clientId ?? '', b.name, b.logoUrl, b.primaryColor, b.background, now]);
      },
    },
    rateLimits: {
      hit: async (bucket, windowStart) => Number((await db.get<{ hits: number }>(`INSERT INTO rate_limits (bucket, window_start, hits)
        VALUES (?, ?, 1) ON CONFLICT (bucket) DO UPDATE SET
          hits = CASE WHEN rate_limits.window_start = excluded.window_start THEN rate_limits.hits + 1 ELSE 1 END,
          window_start = excluded.window_start
        RETURNING hits`, [bucket, windowStart]))!.hits),
    },
    async ping() {
      await db.get('SELECT 1 AS one');
    },
    // Consumed codes are kept a day, so a late replay is still recognised (and still revokes its grant).
    sweep: (now) => db.transaction(async (t) =>
      (await t.run('DELETE FROM transactions WHERE expires_at < ?', [now - HOUR])) +
      (await t.run('DELETE FROM codes WHERE expires_at < ?', [now - DAY])) +
      (await t.run('DELETE FROM refresh_tokens WHERE expires_at < ?', [now])) +
      (await t.run('DELETE FROM revoked_jtis WHERE expires_at < ?', [now])) +
      (await t.run('DELETE FROM idp_sessions WHERE expires_at < ?', [now - DAY])) +
      (await t.run('DELETE FROM rate_limits WHERE window_start < ?', [now - HOUR])) +
      (await t.run('DELETE FROM recovery_tokens WHERE expires_at < ?', [now - DAY])) +
      // An event a hook could not take for a week is given up (the hook's failures and last error say so).
      (await t.run('DELETE FROM event_hook_queue WHERE created_at < ?', [now - 7 * DAY])) +
      // A registration never verified expires: the STAGED user and everything hanging off it go after a week.
      (await t.run(`DELETE FROM users WHERE status = 'STAGED' AND created_at < ?`, [now - 7 * DAY]))),
    profileSchema: {
      list: async () => (await db.all('SELECT * FROM profile_attributes ORDER BY created_at, name')).map((r) => ({
        name: r.name, label: r.label, required: r.required === 1 || r.required === true, maxLength: Number(r.max_length),
        enum: r.enum_values ? JSON.parse(r.enum_values) : null, createdAt: Number(r.created_at),
      })),
      add: async (a) => (await db.run(`INSERT INTO profile_attributes (name, label, required, max_length, enum_values, created_at)
        VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, [a.name, a.label, db.bool(a.required), a.maxLength, a.enum ? json(a.enum) : null, a.createdAt])) === 1,
    },
    enrollments: {
      listForUser: async (userId) => (await db.all('SELECT * FROM enrollments WHERE user_id = ? ORDER BY created_at, id', [userId])).map(toEnrollment),
      async put(e) {
        await db.transaction(async (t) => {
          if ((await t.run('UPDATE enrollments SET status = ?, config = ?, counter = ?, last_used_at = ? WHERE id = ?', [e.status, json(e.config), e.counter, e.lastUsedAt, e.id])) === 0) await insertEnrollment(t, e);
        });
      },
      async touch(id, now) {
        await db.run('UPDATE enrollments SET last_used_at = ? WHERE id = ?', [now, id]);
      },
      advanceCounter: async (id, value, now) => (await db.run(`UPDATE enrollments SET counter = ?, last_used_at = ?
        WHERE id = ? AND (counter < ? OR (counter = 0 AND ? = 0))`, [value, now, id, value, value])) === 1,
      remove: async (id) => (await db.run('DELETE FROM enrollments WHERE id = ?', [id])) === 1,
    },
    recoveryTokens: {
      async create(r) {
        await db.run('INSERT INTO recovery_tokens (token_hash, user_id, expires_at, created_at) VALUES (?, ?, ?, ?)', [r.tokenHash, r.userId, r.expiresAt, r.createdAt]);
      },
      consume: async (hash, now) => (await db.get<{ user_id: string }>(`UPDATE recovery_tokens SET consumed_at = ?
        WHERE token_hash = ? AND consumed_at IS NULL AND expires_at > ? RETURNING user_id`, [now, hash, now]))?.user_id ?? null,
    },
    groups: groupStore(db),
    apiTokens: apiTokenStore(db),
    eventHooks,
    close: () => db.close(),
  };
}
