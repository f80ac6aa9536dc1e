import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Deps } from '../deps.js';
import type { AuthServer, IdpSession, User } from '../store/interfaces.js';
import { findSession, findSignIn } from '../identity/idp-sessions.js';

export interface HttpContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  deps: Deps;
  log: Logger;
  /** The authorization server named by the path, for /oauth2/... routes. */
  server: AuthServer;
  /** Whether CORS headers were granted to this request's Origin. */
  corsAllowed: boolean;
}

export type Handler = (ctx: HttpContext) => Promise<void>;

export interface Route {
  methods: string[];
  /** Transport family: decides the error shape (OAuth JSON, IDX/Okta API JSON, or HTML). */
  family: 'oauth' | 'idx' | 'html' | 'plain';
  handler: Handler;
}

export function cookie(req: IncomingMessage, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return undefined;
}

export const SESSION_COOKIE = 'gh_sid';

/** The live IdP session the request's cookie names and its user, when that user may still sign in. */
export async function currentSignIn(ctx: HttpContext): Promise<{ session: IdpSession; user: User } | null> {
  return findSignIn(ctx.deps, cookie(ctx.req, SESSION_COOKIE));
}

/** The IdP session the request's cookie names, if it is live. */
export async function currentSession(ctx: HttpContext): Promise<IdpSession | null> {
  return findSession(ctx.deps, cookie(ctx.req, SESSION_COOKIE));
}

/**
 * The IdP session cookie: HttpOnly; SameSite=None + Secure on https so a widget on another site can use it.
 * Without a max age it is a browser-session cookie (the user did not ask to be kept signed in).
 */
export function sessionCookie(baseUrl: string, value: string, maxAgeSeconds?: number, name = SESSION_COOKIE): string {
  const secure = baseUrl.startsWith('https:');
  const cookie = `${name}=${value}; Path=/; HttpOnly; ${secure ? 'Secure; SameSite=None' : 'SameSite=Lax'}`;
  return maxAgeSeconds === undefined ? cookie : `${cookie}; Max-Age=${maxAgeSeconds}`;
}
