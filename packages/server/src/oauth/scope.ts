// Scope parsing and the claims each scope releases (OIDC Core §5.4).
import type { AuthServer, User } from '../store/interfaces.js';
import { invalidScope, invalidRequest } from './errors.js';

const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]{1,128}$/; // RFC 6749 §3.3 scope-token
export const MAX_SCOPE_LENGTH = 1024;

export function parseScope(raw: string | undefined, server: AuthServer, fallback: string[] = []): string[] {
  if (raw === undefined || raw.trim() === '') return fallback;
  if (raw.length > MAX_SCOPE_LENGTH) throw invalidRequest({ description: 'The scope parameter is too long.' });
  const scopes = [...new Set(raw.split(' ').filter(Boolean))];
  for (const s of scopes) {
    if (!SCOPE_TOKEN.test(s)) throw invalidScope({ description: 'The scope parameter is malformed.' });
    if (!server.scopes.includes(s)) throw invalidScope({ description: `The requested scope is invalid, unknown, or malformed: ${s}.`.slice(0, 200) });
  }
  return scopes;
}

/** Claims about the user released by the granted scopes. `sub` is the user id everywhere (ID token and userinfo). */
export function userClaims(user: User, scopes: readonly string[]): Record<string, unknown> {
  const claims: Record<string, unknown> = { sub: user.id };
  if (scopes.includes('profile')) {
    const name = [user.firstName, user.lastName].filter(Boolean).join(' ');
    Object.assign(claims, {
      name: name || user.login,
      given_name: user.firstName || undefined,
      family_name: user.lastName || undefined,
      preferred_username: user.login,
      locale: user.locale,
      updated_at: Math.floor(user.updatedAt / 1000),
    });
    // Custom profile attributes (gatehouse profile-schema) travel with the profile scope under their own names;
    // the schema's names cannot shadow a standard claim.
    for (const [k, v] of Object.entries(user.profile ?? {})) if (!(k in claims)) claims[k] = v;
  }
  if (scopes.includes('email')) Object.assign(claims, { email: user.email, email_verified: true });
  for (const k of Object.keys(claims)) if (claims[k] === undefined) delete claims[k];
  return claims;
}
