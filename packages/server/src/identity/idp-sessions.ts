// IdP sessions (single sign-on), in one place: opening one when a sign-in succeeds (a random id, stored as its
// hash; a browser-session cookie unless the user asked to be kept signed in), finding the live one a cookie
// names, and ending one or all of a user's. The cookie's own attributes live in http/context.ts, the
// transport; what a session is and how long it lives is decided here.
import type { Deps } from '../deps.js';
import { newId, randomToken, sha256 } from '../random.js';
import type { IdpSession, User } from '../store/interfaces.js';

export interface OpenedSession {
  record: IdpSession;
  /** The cookie value: the only place the raw id exists. */
  cookieValue: string;
  /** Persistent cookie lifetime; undefined for a browser-session cookie. */
  maxAgeSeconds?: number;
}

/** A new session for a sign-in (stored by the caller in the same write that completes the transaction). */
export function openSession(deps: Pick<Deps, 'cfg' | 'now'>, userId: string, amr: string[], authTime: number, rememberMe: boolean): OpenedSession {
  const cookieValue = randomToken(32);
  // "Keep me signed in": a persistent cookie and a longer session. Otherwise the cookie dies with the browser
  // and the session after sessionTtlSeconds, whichever comes first.
  const ttl = rememberMe ? deps.cfg.keepSignedInSeconds : deps.cfg.sessionTtlSeconds;
  const record = { id: newId('102'), idHash: sha256(cookieValue), userId, amr, authTime, expiresAt: deps.now() + ttl * 1000, revokedAt: null };
  return { record, cookieValue, maxAgeSeconds: rememberMe ? ttl : undefined };
}

/** The live session a cookie value names, and its user when that user may still sign in. */
export async function findSignIn(deps: Pick<Deps, 'store' | 'now'>, cookieValue: string | undefined): Promise<{ session: IdpSession; user: User } | null> {
  const session = await findSession(deps, cookieValue);
  const user = session ? await deps.store.users.findById(session.userId) : null;
  return session && user && user.status === 'ACTIVE' ? { session, user } : null;
}

export async function findSession(deps: Pick<Deps, 'store' | 'now'>, cookieValue: string | undefined): Promise<IdpSession | null> {
  if (!cookieValue || cookieValue.length > 100) return null;
  return deps.store.sessions.findByIdHash(sha256(cookieValue), deps.now());
}

export async function endSession(deps: Pick<Deps, 'store' | 'now'>, session: IdpSession): Promise<void> {
  await deps.store.sessions.revoke(session.id, deps.now());
}
