// Builds the token endpoint's success body (RFC 6749 §5.1; spec §10.2): never a `state` member, an
// id_token whenever `openid` was granted, a refresh token only when one was minted.
import type { TokenResponse } from '@gatehouse/protocol';
import type { Deps } from '../deps.js';
import type { App, AuthServer, Grant, User } from '../store/interfaces.js';
import { mintAccessToken, mintIdToken } from './tokens.js';

export async function buildTokenResponse(deps: Deps, p: {
  server: AuthServer; app: App; grant: Grant; user: User | null; scopes: string[]; nonce: string | null; refreshToken: string | null;
}): Promise<TokenResponse> {
  const at = await mintAccessToken(deps, p.server, p.app, p.scopes, p.user, p.grant);
  const body: TokenResponse = {
    token_type: 'Bearer',
    expires_in: p.server.accessTokenTtl,
    access_token: at.token,
    scope: p.scopes.join(' '),
  };
  if (p.user && p.scopes.includes('openid')) {
    body.id_token = await mintIdToken(deps, p.server, p.app, p.user, { ...p.grant, scopes: p.scopes }, at.token, p.nonce);
  }
  if (p.refreshToken) body.refresh_token = p.refreshToken;
  return body;
}

/** A refresh token is minted when offline_access was granted and the app may use the refresh grant. */
export function wantsRefreshToken(app: App, scopes: readonly string[]): boolean {
  return scopes.includes('offline_access') && app.grantTypes.includes('refresh_token');
}
