// The PostgreSQL implementation of Store (node-postgres). Same contract as SQLite: every one-time artefact is
// consumed with a conditional UPDATE … RETURNING whose row count is checked, in the transaction that writes
// what it buys; counters are single atomic statements; key creation is serialised by an advisory lock.
import pg from 'pg';
import { StoreRejectedValue, StoreUnavailable } from '../../errors.js';
import type { App, AuditEvent, Grant, IdpSession, OneTimeCode, OrgPolicy, RefreshOutcome, RefreshToken, SigningKey, Store, Transaction } from '../interfaces.js';
import { toApp, toCode, toGrant, toKey, toServer, toSession, toTransaction, toUser } from '../sqlite/rows.js';
import { migrate } from './migrate.js';

const json = (v: unknown) => JSON.stringify(v);
const KEY_LOCK = 7_264_012;

// BIGINT (epoch milliseconds, counters) as JS numbers; they stay far below 2^53.
const types = { getTypeParser: (oid: number, format?: any) => (oid === 20 ? (v: string) => Number(v) : (pg.types.getTypeParser as any)(oid, format)) };

export interface PostgresOptions {
  /** A schema of its own (created if missing); tests use one per run. */
  schema?: string;
}

export async function openPostgresStore(url: string, opts: PostgresOptions = {}): Promise<Store> {
  const schema = opts.schema;
  if (schema && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error('schema must be a lowercase SQL identifier');
  const pool = new pg.Pool({ connectionString: url, max: 10, types, ...(schema ? { options: `-c search_path=${schema}` } : {}), connectionTimeoutMillis: 5000 });
  pool.on('error', () => { /* an idle client died; the next query reconnects */ });
  try {
    if (schema) await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await migrate(pool);
  } catch (e) {
    await pool.end();
    throw classify(e);
  }

  const q = async <T = any>(sql: string, params: unknown[] = []): Promise<T[]> => {
    try {
      return (await pool.query(sql, params)).rows as T[];
    } catch (e) {
      throw classify(e);
    }
  };
  const one = async <T = any>(sql: string, params: unknown[] = []) => (await q<T>(sql, params))[0];

  /** Runs fn in one transaction on one connection; rolls back on any throw. */
  async function tx<T>(fn: (c: (sql: string, params?: unknown[]) => Promise<any[]>) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (e) {
      throw classify(e);
    }
    try {
      await client.query('BEGIN');
      const out = await fn(async (sql, params = []) => (await client.query(sql, params)).rows);
      await client.query('COMMIT');
      return out;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => {});
      throw classify(e);
    } finally {
      client.release();
    }
  }

  const insertGrant = async (c: (sql: string, p?: unknown[]) => Promise<any[]>, g: Grant, refresh: RefreshToken | null) => {
    await c('INSERT INTO grants (id, client_id, user_id, auth_server_id, scopes, amr, auth_time, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)',
      [g.id, g.clientId, g.userId, g.authServerId, json(g.scopes), json(g.amr), g.authTime, g.createdAt]);
    if (refresh) await c('INSERT INTO refresh_tokens (token_hash, grant_id, expires_at) VALUES ($1,$2,$3)', [refresh.tokenHash, refresh.grantId, refresh.expiresAt]);
  };
  const insertCode = (c: (sql: string, p?: unknown[]) => Promise<any[]>, x: OneTimeCode) =>
    c(`INSERT INTO codes (code_hash, kind, client_id, auth_server_id, redirect_uri, scopes, nonce, code_challenge, user_id, amr, auth_time,
       session_id, transaction_id, expires_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14)`,
      [x.codeHash, x.kind, x.clientId, x.authServerId, x.redirectUri, json(x.scopes), x.nonce, x.codeChallenge, x.userId, json(x.amr), x.authTime,
        x.sessionId, x.transactionId, x.expiresAt]);
  const updateTx = (c: (sql: string, p?: unknown[]) => Promise<any[]>, t: Transaction, expectedVersion: number) =>
    c(`UPDATE transactions SET step = $2, user_id = $3, identifier = $4, amr = $5, auth_time = $6, remember_me = $8, version = version + 1
       WHERE id = $1 AND version = $7 RETURNING id`, [t.id, t.step, t.userId, t.identifier, json(t.amr), t.authTime, expectedVersion, t.rememberMe]);
  const insertKey = (c: (sql: string, p?: unknown[]) => Promise<any[]>, k: SigningKey, status: string, now: number) =>
    c('INSERT INTO signing_keys (kid, status, public_jwk, private_jwe, created_at, remove_after) VALUES ($1,$2,$3,$4,$5,$6)', [k.kid, status, json(k.publicJwk), k.privateJwe, now, k.removeAfter]);
  const direct = (sql: string, params: unknown[] = []) => q(sql, params);
  const insertSession = (c: (sql: string, p?: unknown[]) => Promise<any[]>, s: IdpSession) =>
    c('INSERT INTO idp_sessions (id, id_hash, user_id, amr, auth_time, expires_at) VALUES ($1,$2,$3,$4,$5,$6)', [s.id, s.idHash, s.userId, json(s.amr), s.authTime, s.expiresAt]);

  return {
    kind: 'postgres',
    users: {
      async create(u) {
        await q(`INSERT INTO users (id, login, login_lower, email, email_lower, first_name, last_name, locale, status, password_hash, created_at, updated_at)
          VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$11)`, [u.id, u.login, u.login.toLowerCase(), u.email, u.email.toLowerCase(), u.firstName, u.lastName, u.locale, u.status, u.passwordHash, u.createdAt]);
        return toUser(await one('SELECT * FROM users WHERE id = $1', [u.id]));
      },
      findById: async (id) => { const r = await one('SELECT * FROM users WHERE id = $1', [id]); return r ? toUser(r) : null; },
      findByLogin: async (login) => { const l = login.toLowerCase(); const r = await one('SELECT * FROM users WHERE login_lower = $1 OR email_lower = $1 LIMIT 1', [l]); return r ? toUser(r) : null; },
      list: async () => (await q('SELECT * FROM users ORDER BY created_at')).map(toUser),
      setStatus: async (id, status, now) => (await q('UPDATE users SET status = $2, updated_at = $3 WHERE id = $1 RETURNING id', [id, status, now])).length === 1,
      setPasswordHash: async (id, hash, now) => { await q('UPDATE users SET password_hash = $2, updated_at = $3 WHERE id = $1', [id, hash, now]); },
      async recordFailure(id, now, policy) {
        const r = await one<{ failed_attempts: number; locked_until: number | null }>(`UPDATE users SET failed_attempts = failed_attempts + 1,
            locked_until = CASE WHEN failed_attempts + 1 >= $3 AND (locked_until IS NULL OR locked_until <= $2) THEN $4 ELSE locked_until END,
            updated_at = $2 WHERE id = $1 RETURNING failed_attempts, locked_until`, [id, now, policy.maxAttempts, now + policy.durationSeconds * 1000]);
        if (!r) return { failedAttempts: 0, lockedUntil: null, justLocked: false };
        return { failedAttempts: r.failed_attempts, lockedUntil: r.locked_until, justLocked: r.failed_attempts === policy.maxAttempts };
      },
      recordSuccess: async (id, now) => (await q('UPDATE users SET failed_attempts = 0, locked_until = NULL WHERE id = $1 AND (locked_until IS NULL OR locked_until <= $2) RETURNING id', [id, now])).length === 1,
      unlock: async (id, now) => (await q(`UPDATE users SET failed_attempts = 0, locked_until = NULL,
        status = CASE WHEN status = 'LOCKED_OUT' THEN 'ACTIVE' ELSE status END, updated_at = $2 WHERE id = $1 RETURNING id`, [id, now])).length === 1,
    },
    apps: {
      async create(a: App) {
        await q(`INSERT INTO apps (client_id, name, type, secret_hash, redirect_uris, post_logout_redirect_uris, grant_types, auth_method, sign_in, jwks,
          frame_ancestors, pkce_required, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13)`, [a.clientId, a.name, a.type, a.secretHash, json(a.redirectUris),
          json(a.postLogoutRedirectUris), json(a.grantTypes), a.authMethod, a.signIn, a.jwks ? json(a.jwks) : null, json(a.frameAncestors), a.pkceRequired, a.createdAt]);
        return a;
      },
      findByClientId: async (id) => { const r = await one('SELECT * FROM apps WHERE client_id = $1', [id]); return r ? toApp(r) : null; },
      list: async () => (await q('SELECT * FROM apps ORDER BY created_at')).map(toApp),
      update: async (a) => (await q(`UPDATE apps SET name = $1, secret_hash = $2, redirect_uris = $3, post_logout_redirect_uris = $4, grant_types = $5,
        auth_method = $6, sign_in = $7, jwks = $8, frame_ancestors = $9, pkce_required = $11 WHERE client_id = $10 RETURNING client_id`, [a.name, a.secretHash, json(a.redirectUris),
        json(a.postLogoutRedirectUris), json(a.grantTypes), a.authMethod, a.signIn, a.jwks ? json(a.jwks) : null, json(a.frameAncestors), a.clientId, a.pkceRequired])).length === 1,
    },
    origins: {
      isTrusted: async (o) => (await q('SELECT 1 FROM trusted_origins WHERE origin = $1', [o])).length > 0,
      add: async (o, now) => { await q('INSERT INTO trusted_origins (origin, created_at) VALUES ($1, $2) ON CONFLICT DO NOTHING', [o, now]); },
      list: async () => (await q<{ origin: string }>('SELECT origin FROM trusted_origins ORDER BY origin')).map((r) => r.origin),
      remove: async (o) => (await q('DELETE FROM trusted_origins WHERE origin = $1 RETURNING origin', [o])).length === 1,
    },
    servers: {
      findById: async (id) => { const r = await one('SELECT * FROM auth_servers WHERE id = $1', [id]); return r ? toServer(r) : null; },
      list: async () => (await q('SELECT * FROM auth_servers ORDER BY id')).map(toServer),
      create: async (s) => (await q(`INSERT INTO auth_servers (id, issuer_path, audiences, scopes, access_token_ttl, id_token_ttl, refresh_token_ttl)
        VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING id`, [s.id, s.issuerPath, json(s.audiences), json(s.scopes), s.accessTokenTtl, s.idTokenTtl, s.refreshTokenTtl])).length === 1,
    },
    keys: {
      list: async () => (await q('SELECT * FROM signing_keys ORDER BY created_at')).map(toKey),
      generation: async () => (await one<{ gen: number }>('SELECT gen FROM key_generation WHERE id = 1'))!.gen,
      async ensure(now, make) {
        // Keys are made outside the lock (RSA generation is slow), then inserted only where still missing.
        const have = new Set((await q<{ status: string }>(`SELECT status FROM signing_keys WHERE status IN ('active','next')`)).map((r) => r.status));
        const missing = ['active', 'next'].filter((st) => !have.has(st)).length;
        if (missing === 0) return;
        const made: SigningKey[] = [];
        for (let i = 0; i < missing; i++) made.push(await make());
        await tx(async (c) => {
          await c('SELECT pg_advisory_xact_lock($1)', [KEY_LOCK]);
          const present = new Set((await c(`SELECT status FROM signing_keys WHERE status IN ('active','next')`)).map((r: any) => r.status));
          let i = 0;
          for (const status of ['active', 'next']) {
            if (present.has(status)) continue;
            const k = made[i++];
            if (!k) break;
            await insertKey(c, k, status, now);
          }
          await c('UPDATE key_generation SET gen = gen + 1 WHERE id = 1');
        });
      },
      async rotate(now, removeAfter, next) {
        await tx(async (c) => {
          await c('SELECT pg_advisory_xact_lock($1)', [KEY_LOCK]);
          await c(`DELETE FROM signing_keys WHERE status = 'retired' AND remove_after <= $1`, [now]);
          await c(`UPDATE signing_keys SET status = 'retired', remove_after = $1 WHERE status = 'active'`, [removeAfter]);
          await c(`UPDATE signing_keys SET status = 'active' WHERE status = 'next'`);
          await insertKey(c, next, 'next', now);
          await c('UPDATE key_generation SET gen = gen + 1 WHERE id = 1');
        });
      },
    },
    transactions: {
      async create(t) {
        await q(`INSERT INTO transactions (id, state_handle_hash, interaction_handle_hash, client_id, auth_server_id, redirect_uri, scopes, state, nonce,
          code_challenge, kind, login_hint, identifier, step, user_id, amr, auth_time, version, created_at, expires_at, remember_me)
          VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21)`, [t.id, t.stateHandleHash, t.interactionHandleHash, t.clientId,
          t.authServerId, t.redirectUri, json(t.scopes), t.state, t.nonce, t.codeChallenge, t.kind, t.loginHint, t.identifier, t.step, t.userId, json(t.amr),
          t.authTime, t.version, t.createdAt, t.expiresAt, t.rememberMe]);
      },
      findByStateHandle: async (h, now) => { const r = await one('SELECT * FROM transactions WHERE state_handle_hash = $1 AND expires_at > $2', [h, now]); return r ? toTransaction(r) : null; },
      findByInteractionHandle: async (h, now) => { const r = await one('SELECT * FROM transactions WHERE interaction_handle_hash = $1 AND expires_at > $2', [h, now]); return r ? toTransaction(r) : null; },
      update: async (t, expectedVersion) => (await updateTx(direct, t, expectedVersion)).length === 1,
      completeWithCode: (t, expectedVersion, code, session) => tx(async (c) => {
        if ((await updateTx(c, t, expectedVersion)).length !== 1) return false;
        await insertCode(c, code);
        if (session) await insertSession(c, session);
        return true;
      }),
    },
    codes: {
      create: async (code) => { await insertCode(direct, code); },
      redeem: (codeHash, kind, now, parts) => tx(async (c) => {
        const row = (await c(`UPDATE codes SET consumed_at = $1 WHERE code_hash = $2 AND kind = $3 AND consumed_at IS NULL AND expires_at > $1 RETURNING *`, [now, codeHash, kind]))[0];
        if (!row) {
          const old = (await c('SELECT * FROM codes WHERE code_hash = $1 AND kind = $2', [codeHash, kind]))[0];
          if (old && old.consumed_at !== null) {
            if (old.grant_id) await c('UPDATE grants SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL', [now, old.grant_id]);
            return { kind: 'replayed' as const, grantId: old.grant_id as string | null };
          }
          return { kind: 'invalid' as const };
        }
        const code = toCode(row);
        const p = parts(code);
        if (!p) return { kind: 'invalid' as const }; // committed: a refused code is burned
        const grant: Grant = { id: p.grantId, clientId: code.clientId, userId: code.userId, authServerId: code.authServerId, scopes: code.scopes, amr: code.amr,
          authTime: code.authTime, createdAt: now, revokedAt: null };
        await insertGrant(c, grant, p.refreshToken);
        await c('UPDATE codes SET grant_id = $1 WHERE code_hash = $2', [grant.id, codeHash]);
        return { kind: 'redeemed' as const, code: { ...code, grantId: grant.id }, grant };
      }),
    },
    tokens: {
      createGrant: (g, refresh) => tx((c) => insertGrant(c, g, refresh)),
      findGrant: async (id) => { const r = await one('SELECT * FROM grants WHERE id = $1', [id]); return r ? toGrant(r) : null; },
      revokeGrant: async (id, now) => { await q('UPDATE grants SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL', [now, id]); },
      async findRefreshToken(hash, now) {
        const r = await one('SELECT r.*, row_to_json(g) AS g FROM refresh_tokens r JOIN grants g ON g.id = r.grant_id WHERE r.token_hash = $1', [hash]);
        if (!r || r.expires_at <= now) return null;
        return { tokenHash: r.token_hash, grantId: r.grant_id, expiresAt: r.expires_at, consumedAt: r.consumed_at, grant: toGrant(r.g) };
      },
      rotateRefreshToken: (hash, now, next) => tx(async (c): Promise<RefreshOutcome> => {
        const used = (await c('UPDATE refresh_tokens SET consumed_at = $1 WHERE token_hash = $2 AND consumed_at IS NULL AND expires_at > $1 RETURNING grant_id', [now, hash]))[0];
        if (used) {
          const g = toGrant((await c('SELECT * FROM grants WHERE id = $1', [used.grant_id]))[0]);
          if (g.revokedAt !== null) return { kind: 'invalid' };
          await c('INSERT INTO refresh_tokens (token_hash, grant_id, expires_at) VALUES ($1,$2,$3)', [next.tokenHash, g.id, next.expiresAt]);
          return { kind: 'rotated', grant: g };
        }
        const old = (await c('SELECT * FROM refresh_tokens WHERE token_hash = $1', [hash]))[0];
        if (old && old.consumed_at !== null) {
          await c('UPDATE grants SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL', [now, old.grant_id]);
          return { kind: 'reused', grantId: old.grant_id };
        }
        return { kind: 'invalid' };
      }),
      async revokeJti(jti, expiresAt, now) {
        await q('DELETE FROM revoked_jtis WHERE expires_at < $1', [now]);
        return (await q('INSERT INTO revoked_jtis (jti, expires_at, revoked_at) VALUES ($1,$2,$3) ON CONFLICT DO NOTHING RETURNING jti', [jti, expiresAt, now])).length === 1;
      },
      isJtiRevoked: async (jti) => (await q('SELECT 1 FROM revoked_jtis WHERE jti = $1', [jti])).length > 0,
    },
    sessions: {
      create: async (s: IdpSession) => { await insertSession(direct, s); },
      findByIdHash: async (h, now) => { const r = await one('SELECT * FROM idp_sessions WHERE id_hash = $1 AND expires_at > $2 AND revoked_at IS NULL', [h, now]); return r ? toSession(r) : null; },
      revoke: async (id, now) => { await q('UPDATE idp_sessions SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL', [now, id]); },
      revokeForUser: async (userId, now) => { await q('UPDATE idp_sessions SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL', [now, userId]); },
    },
    events: {
      append: async (e: AuditEvent) => { await q('INSERT INTO events (type, at, user_id, client_id, detail) VALUES ($1,$2,$3,$4,$5)', [e.type, e.at, e.userId ?? null, e.clientId ?? null, e.detail ? json(e.detail) : null]); },
      list: async ({ limit, type, userId }) => (await q(`SELECT * FROM events WHERE ($1::text IS NULL OR type = $1) AND ($2::text IS NULL OR user_id = $2) ORDER BY id DESC LIMIT $3`,
        [type ?? null, userId ?? null, limit])).map((r: any) => ({ id: Number(r.id), type: r.type, at: r.at, userId: r.user_id, clientId: r.client_id, detail: r.detail ? JSON.parse(r.detail) : undefined })),
    },
    policies: {
      get: async () => JSON.parse((await one<{ policy: string }>('SELECT policy FROM org_policy WHERE id = 1'))!.policy) as OrgPolicy,
      set: async (p) => { await q('UPDATE org_policy SET policy = $1 WHERE id = 1', [json(p)]); },
    },
    rateLimits: {
      hit: async (bucket, windowStart) => Number((await one<{ hits: number }>(`INSERT INTO rate_limits (bucket, window_start, hits) VALUES ($1, $2, 1)
          ON CONFLICT (bucket) DO UPDATE SET hits = CASE WHEN rate_limits.window_start = excluded.window_start THEN rate_limits.hits + 1 ELSE 1 END,
            window_start = excluded.window_start
          RETURNING hits`, [bucket, windowStart]))!.hits),
    },
    ping: async () => { await q('SELECT 1'); },
    sweep: (now) => tx(async (c) => {
      const day = 24 * 3600_000;
      let n = 0;
      for (const [sql, at] of [['DELETE FROM transactions WHERE expires_at < $1', now - 3600_000], ['DELETE FROM codes WHERE expires_at < $1', now - day],
        ['DELETE FROM refresh_tokens WHERE expires_at < $1', now], ['DELETE FROM revoked_jtis WHERE expires_at < $1', now], ['DELETE FROM idp_sessions WHERE expires_at < $1', now - day], ['DELETE FROM rate_limits WHERE window_start < $1', now - 3600_000]] as const) {
        n += (await c(sql + ' RETURNING 1', [at])).length;
      }
      return n;
    }),
    close: async () => { await pool.end(); },
  };
}

/** Connection and server faults the caller cannot fix become StoreUnavailable (503). */
function classify(e: unknown): unknown {
  const code = (e as { code?: string })?.code ?? '';
  if (/^(08|53|57P|58)/.test(code) || ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND'].includes(code) || /timeout exceeded when trying to connect|Connection terminated/i.test(String((e as Error)?.message))) {
    return new StoreUnavailable(`database unavailable: ${code || (e as Error).message}`, { cause: e });
  }
  if (/^22/.test(code)) return new StoreRejectedValue(`value refused by the database: ${code}`, { cause: e });
  return e;
}
