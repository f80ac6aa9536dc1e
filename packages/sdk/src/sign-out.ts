// Ending a sign-in: revoking tokens (RFC 7009) and the URL of the issuer's RP-initiated logout
// (OIDC RP-Initiated Logout 1.0), which ends the Gatehouse session in the browser. Clearing the app's own
// session is the app's job.
import type { GatehouseConfig } from './config.js';
import { GatehouseError } from './errors.js';
import { basicAuthorization, formBody, sendOAuth } from './http.js';

/**
 * Revokes an access or refresh token. Revoking a refresh token also ends the access tokens issued from it.
 * RFC 7009 §2.2: an unknown token is not an error, so this resolves for it too.
 * @example
 * await revoke(config, tokens.refreshToken, 'refresh_token');
 */
export async function revoke(config: GatehouseConfig, token: string, hint?: 'access_token' | 'refresh_token'): Promise<void> {
  if (!token) throw new GatehouseError('CONFIG_ERROR', 'token is required');
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
  if (config.clientSecret) headers.authorization = basicAuthorization(config.clientId, config.clientSecret);
  await sendOAuth(config, config.endpoints.revoke, {
    method: 'POST', headers, body: formBody({ token, token_type_hint: hint, client_id: config.clientId }),
  });
}

/**
 * Where to send the browser to end the Gatehouse session. `postLogoutRedirectUri` must be registered for the app.
 * @example
 * res.redirect(logoutUrl(config, { idToken, postLogoutRedirectUri: 'https://app.example.com/', state }));
 */
export function logoutUrl(config: GatehouseConfig, p: { idToken: string; postLogoutRedirectUri?: string; state?: string }): string {
  if (!p.idToken) throw new GatehouseError('CONFIG_ERROR', 'idToken is required');
  const url = new URL(config.endpoints.logout);
  url.searchParams.set('id_token_hint', p.idToken);
  if (p.postLogoutRedirectUri) url.searchParams.set('post_logout_redirect_uri', p.postLogoutRedirectUri);
  if (p.state) url.searchParams.set('state', p.state);
  return url.href;
}
