// GET/POST {issuer}/v1/userinfo (OIDC Core §5.3): claims per granted scope for the bearer's user. Accepts
// only this server's own access tokens, from the Authorization header or a form body (RFC 6750 §2.2) —
// never from the query string, where tokens leak into logs.
import type { Deps } from '../deps.js';
import type { AuthServer } from '../store/interfaces.js';
import { invalidBearerRequest, invalidToken, OAuthError } from './errors.js';
import { userClaims } from './scope.js';
import { verifyAccessToken } from './tokens.js';

export function bearerToken(authorization: string | undefined, form?: Record<string, string>, query?: URLSearchParams): string {
  // A query-string token is not a credential we accept, so the request carries none: 401 (SECURITY.md,
  // "Userinfo … a token in the query string: 401 with the right WWW-Authenticate"), naming the reason.
  if (query?.has('access_token')) throw invalidBearerRequest({ status: 401, description: 'Access tokens are not accepted in the query string.' });
  const fromForm = form?.access_token;
  if (authorization) {
    if (fromForm) throw invalidBearerRequest({ description: 'Only one way of sending the access token may be used.' });
    const m = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i.exec(authorization.trim());
    if (!m) throw invalidToken({ detail: 'malformed Authorization header' });
    return m[1]!;
  }
  if (fromForm) return fromForm;
  throw invalidToken({ missing: true, description: 'No access token was sent.' });
}

export async function userinfo(deps: Deps, server: AuthServer, token: string): Promise<Record<string, unknown>> {
  const claims = await verifyAccessToken(deps, server, token);
  if (!claims.uid) throw invalidToken({ detail: 'token has no user (client_credentials)' });
  if (!claims.scp.includes('openid')) {
    throw new OAuthError('invalid_token', 403, 'The access token must provide access to at least one of these scopes: openid.', 'no openid scope',
      { 'WWW-Authenticate': 'Bearer realm="gatehouse", error="insufficient_scope", error_description="The access token must provide access to at least one of these scopes: openid."' });
  }
  const user = await deps.store.users.findById(claims.uid);
  if (!user || user.status !== 'ACTIVE') throw invalidToken({ detail: 'user gone or inactive' });
  return userClaims(user, claims.scp);
}
