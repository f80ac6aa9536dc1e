// API tokens for the management API (`Authorization: SSWS <token>`): 256 random bits, shown once at creation and
// stored as SHA-256; read-only tokens may only read. Each token has its own per-minute budget, counted in the
// store (so every instance sees it), answered with Okta's X-Rate-Limit-* headers and 429 E0000047.
import type { Deps } from '../deps.js';
import { newId, randomToken, sha256 } from '../random.js';
import type { ApiToken, Store } from '../store/interfaces.js';
import { AdminError } from '../identity/admin.js';
import { forbidden, invalidToken, rateLimited } from './errors.js';

const WINDOW_MS = 60_000;

export async function createApiToken(store: Store, t: { name: string; readOnly: boolean }, now: number) {
  const name = t.name.trim();
  if (!name || name.length > 100) throw new AdminError('token name must be 1-100 characters', 'name');
  const token = '00' + randomToken(32);
  const row: ApiToken = { id: newId('00T'), name, tokenHash: sha256(token), readOnly: t.readOnly, createdAt: now, revokedAt: null };
  await store.apiTokens.create(row);
  await store.events.append({ type: 'system.api_token.create', at: now, actorId: row.id, detail: { name, readOnly: t.readOnly } });
  return { id: row.id, name, token, readOnly: t.readOnly };
}

export async function revokeApiToken(store: Store, id: string, now: number): Promise<boolean> {
  const ok = await store.apiTokens.revoke(id, now);
  if (ok) await store.events.append({ type: 'system.api_token.revoke', at: now, actorId: id });
  return ok;
}

/** The live token named by an `Authorization: SSWS …` header; anything else is 401 E0000011. */
export async function authenticate(deps: Deps, authorization: string | undefined): Promise<ApiToken> {
  const m = /^SSWS ([A-Za-z0-9_-]{10,200})$/.exec(authorization ?? '');
  const token = m ? await deps.store.apiTokens.findByHash(sha256(m[1]!)) : null;
  if (!token) throw invalidToken();
  return token;
}

export function checkWrite(token: ApiToken, method: string) {
  if (token.readOnly && method !== 'GET' && method !== 'HEAD') throw forbidden();
}

/** Spends one call of the token's minute; the headers to send either way. */
export async function spendApiCall(deps: Deps, token: ApiToken): Promise<Record<string, string>> {
  const limit = deps.cfg.apiRateLimitPerMinute;
  const now = deps.now();
  const windowStart = now - (now % WINDOW_MS);
  const hits = await deps.store.rateLimits.hit(`api:${token.id}`, windowStart);
  const headers = {
    'X-Rate-Limit-Limit': String(limit), 'X-Rate-Limit-Remaining': String(Math.max(0, limit - hits)),
    'X-Rate-Limit-Reset': String(Math.ceil((windowStart + WINDOW_MS) / 1000)),
  };
  if (hits > limit) throw rateLimited(headers);
  return headers;
}
