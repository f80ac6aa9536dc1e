// OAuth/OIDC errors (RFC 6749 §5.2, RFC 6750 §3). Each carries a public description the client sees and a
// private `detail` that is logged and never sent.
import type { OAuthErrorCode } from '@gatehouse/protocol';

export class OAuthError extends Error {
  constructor(
    readonly error: OAuthErrorCode,
    readonly status: number,
    readonly description: string,
    readonly detail?: string,
    /** Extra response headers, e.g. WWW-Authenticate. */
    readonly headers: Record<string, string> = {},
  ) {
    super(`${error}: ${detail ?? description}`);
  }
}

type Opts = { description?: string; detail?: string };

export const invalidRequest = (o: Opts = {}) => new OAuthError('invalid_request', 400, o.description ?? 'The request is missing a required parameter or is otherwise malformed.', o.detail);
export const invalidGrant = (o: Opts = {}) => new OAuthError('invalid_grant', 400, o.description ?? 'The grant is invalid, expired, revoked, or was issued to another client.', o.detail);
export const invalidScope = (o: Opts = {}) => new OAuthError('invalid_scope', 400, o.description ?? 'One or more scopes are not configured for the authorization server.', o.detail);
export const unauthorizedClient = (o: Opts = {}) => new OAuthError('unauthorized_client', 400, o.description ?? 'The client is not authorized to use the provided grant type.', o.detail);
export const unsupportedGrantType = (o: Opts = {}) => new OAuthError('unsupported_grant_type', 400, o.description ?? 'The authorization grant type is not supported by the authorization server.', o.detail);
export const accessDenied = (o: Opts = {}) => new OAuthError('access_denied', 403, o.description ?? 'The resource owner or authorization server denied the request.', o.detail);

/** 401; with `WWW-Authenticate: Basic` when the client tried HTTP Basic (RFC 6749 §5.2). */
export const invalidClient = (o: Opts & { basic?: boolean } = {}) =>
  new OAuthError('invalid_client', 401, o.description ?? 'Client authentication failed.', o.detail,
    o.basic ? { 'WWW-Authenticate': 'Basic realm="gatehouse", charset="UTF-8"' } : {});

/** 401 with a Bearer challenge (RFC 6750 §3). With no token at all, the challenge carries no error code. */
export const invalidToken = (o: Opts & { missing?: boolean } = {}) => {
  const description = o.description ?? 'The access token is invalid.';
  const challenge = o.missing ? 'Bearer realm="gatehouse"' : `Bearer realm="gatehouse", error="invalid_token", error_description="${description}"`;
  return new OAuthError('invalid_token', 401, description, o.detail, { 'WWW-Authenticate': challenge });
};

/**
 * A bearer request sent in a way we refuse (RFC 6750 §3.1 `invalid_request`). RFC 6750 §3 requires the
 * Bearer challenge on every refusal at a protected resource, not only on 401s, so the client learns why.
 */
export const invalidBearerRequest = (o: Opts & { status?: 400 | 401 } = {}) => {
  const description = o.description ?? 'The request is missing a required parameter or is otherwise malformed.';
  return new OAuthError('invalid_request', o.status ?? 400, description, o.detail,
    { 'WWW-Authenticate': `Bearer realm="gatehouse", error="invalid_request", error_description="${description}"` });
};
