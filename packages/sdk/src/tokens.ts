// Token endpoint calls: redeeming an interaction code (the seed's RedeemInteractionCodeAsync) and refreshing.
import type { TokenResponse } from '@gatehouse/protocol';
import type { JWTPayload } from 'jose';
import { basicAuth, form, oauthRequest, type HttpOptions } from './http.js';
import { GatehouseError } from './errors.js';

export interface ClientCredentials {
  clientId: string;
  clientSecret?: string;
}

export interface TokenSet {
  accessToken: string;
  idToken: string;
  refreshToken?: string;
  expiresIn: number;
  scope: string;
  tokenType: string;
  /** The verified ID token claims. */
  claims: JWTPayload;
}

export async function postToken(http: HttpOptions, tokenUrl: string, client: ClientCredentials, params: Record<string, string | undefined>): Promise<TokenResponse> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
  // A confidential client authenticates with client_secret_basic; a public one names itself.
  if (client.clientSecret) headers.authorization = basicAuth(client.clientId, client.clientSecret);
  const body = form({ ...params, client_id: client.clientSecret ? undefined : client.clientId });
  const res = await oauthRequest(http, tokenUrl, { method: 'POST', headers, body });
  if (!res || typeof res.access_token !== 'string') throw new GatehouseError('OAUTH_ERROR', 'token response has no access_token', { error: 'server_error' });
  return res as TokenResponse;
}

export function toTokenSet(res: TokenResponse, claims: JWTPayload): TokenSet {
  if (!res.id_token) throw new GatehouseError('TOKEN_INVALID', 'token response has no id_token (was openid requested?)');
  return {
    accessToken: res.access_token, idToken: res.id_token, refreshToken: res.refresh_token, expiresIn: res.expires_in, scope: res.scope,
    tokenType: res.token_type, claims,
  };
}
