// GET {issuer}/v1/userinfo with the access token (OIDC Core §5.3): the signed-in user's claims as the
// server sends them. The SDK does not cross-check `sub` against an ID token; callers that hold both may.
import type { GatehouseConfig } from './config.js';
import { GatehouseError } from './errors.js';
import { sendOAuth } from './http.js';

export interface UserInfo {
  sub: string;
  [claim: string]: unknown;
}

/**
 * The signed-in user's claims. A revoked or expired token is an OAUTH_ERROR with `error` `invalid_token`.
 * @example
 * const me = await getUserInfo(config, tokens.accessToken); // { sub, name, email, … }
 */
export async function getUserInfo(config: GatehouseConfig, accessToken: string): Promise<UserInfo> {
  if (!accessToken) throw new GatehouseError('CONFIG_ERROR', 'accessToken is required');
  const body = await sendOAuth(config, config.endpoints.userinfo, {
    headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
  });
  if (typeof body !== 'object' || body === null || typeof (body as UserInfo).sub !== 'string') {
    throw new GatehouseError('OAUTH_ERROR', 'userinfo answered without a sub', { error: 'server_error' });
  }
  return body as UserInfo;
}
