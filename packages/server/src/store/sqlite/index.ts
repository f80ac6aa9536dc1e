// The SQLite implementation of Store (better-sqlite3: WAL, foreign keys, busy timeout). Statements are
// prepared once. Every one-time artefact is consumed with a conditional UPDATE whose row count is checked,
// inside the same transaction that writes what it buys.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { StoreUnavailable } from '../../errors.js';
import type {
  App, AuthServer, AuditEvent, Grant, IdpSession, OneTimeCode, OrgPolicy, RefreshOutcome, RefreshToken, SigningKey, Store,
  Transaction, User,
} from '../interfaces.js';
import { migrate } from './migrate.js';
import { toApp, toCode, toGrant, toKey, toServer, toSession, toTransaction, toUser } from './rows.js';

const json = (v: unknown) => JSON.stringify(v);

export function openSqliteStore(path: string, opts: { busyTimeoutMs?: number } = {}): Store {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const busy = opts.busyTimeoutMs ?? 5000;
  const db = new Database(path, { timeout: busy });
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma(`busy_timeout = ${busy}`);
  migrate(db);

  // Statements are prepared once per SQL text: preparing is parsing and planning, repeated for nothing.
  const statements = new Map<string, Database.Statement>();
  const q = <T = any>(sql: string) => {
    let st = statements.get(sql);
    if (!st) statements.set(sql, (st = db.prepare(sql)));
    return st as Database.Statement<any[], T>;
  };

  // ---- users
  const userById = q('SELECT * FROM users WHERE id = ?');
  const userByLogin = q('SELECT * FROM users WHERE login_lower = ? OR email_lower = ? LIMIT 1');
  const insertUser = q(`INSERT INTO users (id, login, login_lower, email, email_lower, first_name, last_name, locale, status,
    password_hash, created_at, updated_at) VALUES (@id, @login, @loginLower, @email, @emailLower, @firstName, @lastName,
    @locale, @status, @passwordHash, @createdAt, @createdAt)`);
  const failUser = q(`UPDATE users SET failed_attempts = failed_attempts + 1,
      locked_until = CASE WHEN failed_attempts + 1 >= @max AND (locked_until IS NULL OR locked_until <= @now)
                          THEN @until ELSE locked_until END,
      updated_at = @now
    WHERE id = @id RETURNING failed_attempts, locked_until`);
  const succeedUser = q(`UPDATE users SET failed_attempts = 0, locked_until = NULL
    WHERE id = ? AND (locked_until IS NULL OR locked_until <= ?)`);

  // ---- transactions & codes
  const txByState = q('SELECT * FROM transactions WHERE state_handle_hash = ? AND expires_at > ?');
  const txByInteraction = q('SELECT * FROM transactions WHERE interaction_handle_hash = ? AND expires_at > ?');
  const updateTx = q(`UPDATE transactions SET step = @step, user_id = @userId, identifier = @identifier, amr = @amr, auth_time = @authTime,
    remember_me = @rememberMe, version = version + 1 WHERE id = @id AND version = @expectedVersion`);
  const txUpdate = (t: Transaction, expectedVersion: number) => updateTx.run({ id: t.id, step: t.step, userId: t.userId, identifier: t.identifier,
    amr: json(t.amr), authTime: t.authTime, rememberMe: t.rememberMe ? 1 : 0, expectedVersion }).changes === 1;
  const insertCode = q(`INSERT INTO codes (code_hash, kind, client_id, auth_server_id, redirect_uri, scopes, nonce,
    code_challenge, user_id, amr, auth_time, session_id, transaction_id, expires_at) VALUES (@codeHash, @kind, @clientId,
    @authServerId, @redirectUri, @scopes, @nonce, @codeChallenge, @userId, @amr, @authTime, @sessionId, @transactionId,
    @expiresAt)`);
  const consumeCode = q(`UPDATE codes SET consumed_at = ? WHERE code_hash = ? AND kind = ? AND consumed_at IS NULL
    AND expires_at > ? RETURNING *`);
  const codeByHash = q('SELECT * FROM codes WHERE code_hash = ? AND kind = ?');
  const setCodeGrant = q('UPDATE codes SET grant_id = ? WHERE code_hash = ?');

  // ---- grants & tokens
  const insertGrant = q(`INSERT INTO grants (id, client_id, user_id, auth_server_id, scopes, amr, auth_time, created_at)
    VALUES (@id, @clientId, @userId, @authServerId, @scopes, @amr, @authTime, @createdAt)`);
  const insertRefresh = q('INSERT INTO refresh_tokens (token_hash, grant_id, expires_at) VALUES (?, ?, ?)');
  const grantById = q('SELECT * FROM grants WHERE id = ?');
  const revokeGrant = q('UPDATE grants SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL');
  const consumeRefresh = q(`UPDATE refresh_tokens SET consumed_at = ? WHERE token_hash = ? AND consumed_at IS NULL
    AND expires_at > ? RETURNING grant_id`);
  const refreshByHash = q('SELECT * FROM refresh_tokens WHERE token_hash = ?');

  const wrap = <A extends any[], R>(fn: (...a: A) => R) => async (...a: A): Promise<R> => {
    try {
      return fn(...a);
    } catch (e) {
      throw classify(e);
    }
  };

  const createGrant = (g: Grant, refresh: RefreshToken | null) => {
    insertGrant.run({ id: g.id, clientId: g.clientId, userId: g.userId, authServerId: g.authServerId, scopes: json(g.scopes),
      amr: json(g.amr), authTime: g.authTime, createdAt: g.createdAt });
    if (refresh) insertRefresh.run(refresh.tokenHash, refresh.grantId, refresh.expiresAt);
  };

  const store: Store = {
    kind: 'sqlite',
    users: {
      create: wrap((u) => {
        insertUser.run({ ...u, loginLower: u.login.toLowerCase(), emailLower: u.email.toLowerCase() });
        return toUser(userById.get(u.id));
      }),
      findById: wrap((id) => { const r = userById.get(id); return r ? toUser(r) : null; }),
      findByLogin: wrap((login) => { const l = login.toLowerCase(); const r = userByLogin.get(l, l); return r ? toUser(r) : null; }),
      list: wrap(() => q('SELECT * FROM users ORDER BY created_at').all().map(toUser)),
      setStatus: wrap((id, status, now) => q('UPDATE users SET status = ?, updated_at = ? WHERE id = ?').run(status, now, id).changes === 1),
      setPasswordHash: wrap((id, hash, now) => { q('UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?').run(hash, now, id); }),
      recordFailure: wrap((id, now, policy) => {
        const r = failUser.get({ id, now, max: policy.maxAttempts, until: now + policy.durationSeconds * 1000 }) as
          { failed_attempts: number; locked_until: number | null } | undefined;
        if (!r) return { failedAttempts: 0, lockedUntil: null, justLocked: false };
        return { failedAttempts: r.failed_attempts, lockedUntil: r.locked_until, justLocked: r.failed_attempts === policy.maxAttempts };
      }),
      recordSuccess: wrap((id, now) => succeedUser.run(id, now).changes === 1),
      unlock: wrap((id, now) => q(`UPDATE users SET failed_attempts = 0, locked_until = NULL,
        status = CASE WHEN status = 'LOCKED_OUT' THEN 'ACTIVE' ELSE status END, updated_at = ? WHERE id = ?`).run(now, id).changes === 1),
    },
    apps: {
      create: wrap((a: App) => {
        q(`INSERT INTO apps (client_id, name, type, secret_hash, redirect_uris, post_logout_redirect_uris, grant_types,
          auth_method, sign_in, jwks, frame_ancestors, pkce_required, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`).run(a.clientId, a.name,
          a.type, a.secretHash, json(a.redirectUris), json(a.postLogoutRedirectUris), json(a.grantTypes), a.authMethod, a.signIn,
          a.jwks ? json(a.jwks) : null, json(a.frameAncestors), a.pkceRequired ? 1 : 0, a.createdAt);
        return a;
      }),
      findByClientId: (() => { const st = q('SELECT * FROM apps WHERE client_id = ?'); return wrap((id: string) => { const r = st.get(id); return r ? toApp(r) : null; }); })(),
      list: wrap(() => q('SELECT * FROM apps ORDER BY created_at').all().map(toApp)),
      update: wrap((a: App) => q(`UPDATE apps SET name = ?, secret_hash = ?, redirect_uris = ?, post_logout_redirect_uris = ?, grant_types = ?,
        auth_method = ?, sign_in = ?, jwks = ?, frame_ancestors = ?, pkce_required = ? WHERE client_id = ?`).run(a.name, a.secretHash, json(a.redirectUris),
        json(a.postLogoutRedirectUris), json(a.grantTypes), a.authMethod, a.signIn, a.jwks ? json(a.jwks) : null, json(a.frameAncestors), a.pkceRequired ? 1 : 0, a.clientId).changes === 1),
    },
    origins: {
      isTrusted: (() => { const st = q('SELECT 1 FROM trusted_origins WHERE origin = ?'); return wrap((o: string) => st.get(o) !== undefined); })(),
      add: wrap((o, now) => { q('INSERT OR IGNORE INTO trusted_origins (origin, created_at) VALUES (?, ?)').run(o, now); }),
      list: wrap(() => q<{ origin: string }>('SELECT origin FROM trusted_origins ORDER BY origin').all().map((r) => r.origin)),
      remove: wrap((o: string) => q('DELETE FROM trusted_origins WHERE origin = ?').run(o).changes === 1),
    },
    servers: {
      findById: (() => { const st = q('SELECT * FROM auth_servers WHERE id = ?'); return wrap((id: string) => { const r = st.get(id); return r ? toServer(r) : null; }); })(),
      list: wrap(() => q('SELECT * FROM auth_servers ORDER BY id').all().map(toServer)),
      create: wrap((s: AuthServer) => q(`INSERT INTO auth_servers (id, issuer_path, audiences, scopes, access_token_ttl, id_token_ttl, refresh_token_ttl)
        VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`).run(s.id, s.issuerPath, json(s.audiences), json(s.scopes), s.accessTokenTtl, s.idTokenTtl, s.refreshTokenTtl).changes === 1),
    },
    keys: {
      list: wrap(() => q('SELECT * FROM signing_keys ORDER BY created_at').all().map(toKey)),
      generation: (() => { const st = q<{ gen: number }>('SELECT gen FROM key_generation WHERE id = 1'); return wrap(() => st.get()!.gen); })(),
      ensure: async (now, make) => {
        // Keys are made outside the write lock (RSA generation is slow), then inserted only where missing.
        const have = () => new Set(q<{ status: string }>(`SELECT status FROM signing_keys WHERE status IN ('active','next')`).all().map((r) => r.status));
        const missing = ['active', 'next'].filter((s) => !have().has(s));
        if (missing.length === 0) return;
        const made: SigningKey[] = [];
        for (const _ of missing) made.push(await make());
        const tx = db.transaction(() => {
          const now2 = have();
          let i = 0;
          for (const status of ['active', 'next'] as const) {
            if (now2.has(status)) continue;
            const k = made[i++];
            if (!k) break;
            insertKey(k, status, now);
          }
          q('UPDATE key_generation SET gen = gen + 1 WHERE id = 1').run();
        });
        try { tx.immediate(); } catch (e) { throw classify(e); }
      },
      rotate: async (now, removeAfter, next) => {
        const tx = db.transaction(() => {
          q(`DELETE FROM signing_keys WHERE status = 'retired' AND remove_after <= ?`).run(now);
          q(`UPDATE signing_keys SET status = 'retired', remove_after = ? WHERE status = 'active'`).run(removeAfter);
          q(`UPDATE signing_keys SET status = 'active' WHERE status = 'next'`).run();
          insertKey(next, 'next', now);
          q('UPDATE key_generation SET gen = gen + 1 WHERE id = 1').run();
        });
        try { tx.immediate(); } catch (e) { throw classify(e); }
      },
    },
    transactions: {
      create: wrap((t: Transaction) => {
        q(`INSERT INTO transactions (id, state_handle_hash, interaction_handle_hash, client_id, auth_server_id, redirect_uri,
          scopes, state, nonce, code_challenge, kind, login_hint, identifier, step, user_id, amr, auth_time, remember_me, version, created_at, expires_at)
          VALUES (@id, @stateHandleHash, @interactionHandleHash, @clientId, @authServerId, @redirectUri, @scopes, @state, @nonce,
          @codeChallenge, @kind, @loginHint, @identifier, @step, @userId, @amr, @authTime, @rememberMe, @version, @createdAt, @expiresAt)`)
          .run({ ...t, scopes: json(t.scopes), amr: json(t.amr), rememberMe: t.rememberMe ? 1 : 0 });
      }),
      findByStateHandle: wrap((h, now) => { const r = txByState.get(h, now); return r ? toTransaction(r) : null; }),
      findByInteractionHandle: wrap((h, now) => { const r = txByInteraction.get(h, now); return r ? toTransaction(r) : null; }),
      update: wrap((t, expectedVersion) => txUpdate(t, expectedVersion)),
      completeWithCode: async (t, expectedVersion, code, session) => {
        const tx = db.transaction(() => {
          const ok = txUpdate(t, expectedVersion);
          if (ok) insertCodeRow(code);
          if (ok && session) insertSession(session);
          return ok;
        });
        try { return tx.immediate(); } catch (e) { throw classify(e); }
      },
    },
    codes: {
      create: wrap((c: OneTimeCode) => { insertCodeRow(c); }),
      redeem: async (codeHash, kind, now, parts) => {
        const tx = db.transaction(() => {
          const row = consumeCode.get(now, codeHash, kind, now);
          if (!row) {
            const old = codeByHash.get(codeHash, kind);
            if (old && old.consumed_at !== null) {
              if (old.grant_id) revokeGrant.run(now, old.grant_id);
              return { kind: 'replayed' as const, grantId: old.grant_id as string | null };
            }
            return { kind: 'invalid' as const };
          }
          const code = toCode(row);
          const p = parts(code);
          if (!p) return { kind: 'invalid' as const, rollback: true };
          const grant: Grant = { id: p.grantId, clientId: code.clientId, userId: code.userId, authServerId: code.authServerId,
            scopes: code.scopes, amr: code.amr, authTime: code.authTime, createdAt: now, revokedAt: null };
          createGrant(grant, p.refreshToken);
          setCodeGrant.run(grant.id, codeHash);
          return { kind: 'redeemed' as const, code: { ...code, grantId: grant.id }, grant };
        });
        try {
          const r: any = tx.immediate();
          return r.kind === 'invalid' ? { kind: 'invalid' } : r;
        } catch (e) { throw classify(e); }
      },
    },
    tokens: {
      createGrant: wrap((g, refresh) => db.transaction(() => createGrant(g, refresh))()),
      findGrant: wrap((id) => { const r = grantById.get(id); return r ? toGrant(r) : null; }),
      revokeGrant: wrap((id, now) => { revokeGrant.run(now, id); }),
      findRefreshToken: wrap((hash, now) => {
        const r = refreshByHash.get(hash);
        if (!r || r.expires_at <= now) return null;
        const g = grantById.get(r.grant_id);
        return { tokenHash: r.token_hash, grantId: r.grant_id, expiresAt: r.expires_at, consumedAt: r.consumed_at, grant: toGrant(g) };
      }),
      rotateRefreshToken: async (hash, now, next): Promise<RefreshOutcome> => {
        const tx = db.transaction((): RefreshOutcome => {
          const used = consumeRefresh.get(now, hash, now) as { grant_id: string } | undefined;
          if (used) {
            const g = toGrant(grantById.get(used.grant_id));
            if (g.revokedAt !== null) return { kind: 'invalid' };
            insertRefresh.run(next.tokenHash, g.id, next.expiresAt);
            return { kind: 'rotated', grant: g };
          }
          const old = refreshByHash.get(hash);
          if (old && old.consumed_at !== null) {
            revokeGrant.run(now, old.grant_id);
            return { kind: 'reused', grantId: old.grant_id };
          }
          return { kind: 'invalid' };
        });
        try { return tx.immediate(); } catch (e) { throw classify(e); }
      },
      revokeJti: wrap((jti, expiresAt, now) => {
        q('DELETE FROM revoked_jtis WHERE expires_at < ?').run(now);
        return q('INSERT OR IGNORE INTO revoked_jtis (jti, expires_at, revoked_at) VALUES (?, ?, ?)').run(jti, expiresAt, now).changes === 1;
      }),
      isJtiRevoked: (() => { const st = q('SELECT 1 FROM revoked_jtis WHERE jti = ?'); return wrap((jti: string) => st.get(jti) !== undefined); })(),
    },
    sessions: {
      create: wrap((s: IdpSession) => { insertSession(s); }),
      findByIdHash: wrap((h, now) => {
        const r = q('SELECT * FROM idp_sessions WHERE id_hash = ? AND expires_at > ? AND revoked_at IS NULL').get(h, now);
        return r ? toSession(r) : null;
      }),
      revoke: wrap((id, now) => { q('UPDATE idp_sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(now, id); }),
      revokeForUser: wrap((userId, now) => { q('UPDATE idp_sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL').run(now, userId); }),
    },
    events: {
      append: (() => {
        const st = q('INSERT INTO events (type, at, user_id, client_id, detail) VALUES (?, ?, ?, ?, ?)');
        return wrap((e: AuditEvent) => { st.run(e.type, e.at, e.userId ?? null, e.clientId ?? null, e.detail ? json(e.detail) : null); });
      })(),
      list: wrap(({ limit, type, userId }) => {
        const rows = q(`SELECT * FROM events WHERE (@type IS NULL OR type = @type) AND (@userId IS NULL OR user_id = @userId)
          ORDER BY id DESC LIMIT @limit`).all({ limit, type: type ?? null, userId: userId ?? null });
        return rows.map((r: any) => ({ id: r.id, type: r.type, at: r.at, userId: r.user_id, clientId: r.client_id,
          detail: r.detail ? JSON.parse(r.detail) : undefined }));
      }),
    },
    policies: {
      get: wrap(() => JSON.parse(q<{ policy: string }>('SELECT policy FROM org_policy WHERE id = 1').get()!.policy) as OrgPolicy),
      set: wrap((p: OrgPolicy) => { q('UPDATE org_policy SET policy = ? WHERE id = 1').run(json(p)); }),
    },
    rateLimits: {
      hit: (() => {
        const st = q<{ hits: number }>(`INSERT INTO rate_limits (bucket, window_start, hits) VALUES (?, ?, 1)
          ON CONFLICT (bucket) DO UPDATE SET hits = CASE WHEN rate_limits.window_start = excluded.window_start THEN rate_limits.hits + 1 ELSE 1 END,
            window_start = excluded.window_start
          RETURNING hits`);
        return wrap((bucket: string, windowStart: number) => st.get(bucket, windowStart)!.hits);
      })(),
    },
    ping: wrap(() => { db.prepare('SELECT 1').get(); }),
    sweep: wrap((now: number) => {
      // Consumed codes are kept a day, so a late replay is still recognised (and still revokes its grant).
      const day = 24 * 3600_000;
      return db.transaction(() =>
        q('DELETE FROM transactions WHERE expires_at < ?').run(now - 3600_000).changes +
        q('DELETE FROM codes WHERE expires_at < ?').run(now - day).changes +
        q('DELETE FROM refresh_tokens WHERE expires_at < ?').run(now).changes +
        q('DELETE FROM revoked_jtis WHERE expires_at < ?').run(now).changes +
        q('DELETE FROM idp_sessions WHERE expires_at < ?').run(now - day).changes +
        q('DELETE FROM rate_limits WHERE window_start < ?').run(now - 3600_000).changes)();
    }),
    close: async () => { db.close(); },
  };

  function insertKey(k: SigningKey, status: string, now: number) {
    q('INSERT INTO signing_keys (kid, status, public_jwk, private_jwe, created_at, remove_after) VALUES (?,?,?,?,?,?)')
      .run(k.kid, status, json(k.publicJwk), k.privateJwe, now, k.removeAfter);
  }
  function insertSession(s: IdpSession) {
    q('INSERT INTO idp_sessions (id, id_hash, user_id, amr, auth_time, expires_at) VALUES (?,?,?,?,?,?)')
      .run(s.id, s.idHash, s.userId, json(s.amr), s.authTime, s.expiresAt);
  }
  function insertCodeRow(c: OneTimeCode) {
    insertCode.run({ ...c, scopes: json(c.scopes), amr: json(c.amr) });
  }
  return store;
}

/** Database faults the caller cannot fix become StoreUnavailable (503); constraint errors stay as they are. */
function classify(e: unknown): unknown {
  const code = (e as { code?: string })?.code ?? '';
  if (/^SQLITE_(BUSY|LOCKED|READONLY|FULL|IOERR|CANTOPEN|CORRUPT|NOTADB|PROTOCOL)/.test(code) || (e as Error)?.message === 'The database connection is not open') {
    return new StoreUnavailable(`database unavailable: ${code || (e as Error).message}`, { cause: e });
  }
  return e;
}
