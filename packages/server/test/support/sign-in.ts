// A complete embedded sign-in over raw HTTP that ends in a token response, for tests about tokens:
// POST {issuer}/v1/interact -> /idp/idx/introspect -> /idp/idx/identify (password-first) -> the
// successWithInteractionCode's interaction_code -> POST {issuer}/v1/token (grant_type=interaction_code + PKCE).
import type { TestServer } from './start-server.js';
import { signInForCode, token } from './idx-client.js';

export const DEFAULT_REDIRECT_URI = 'http://localhost:3000/cb';

export interface TokenResponse {
  token_type: string;
  access_token: string;
  id_token: string;
  refresh_token?: string;
  scope: string;
  expires_in: number;
}

/**
 * Signs `username` in through the IDX API for the app `clientId` and redeems the interaction code. A
 * confidential app authenticates with HTTP Basic; a public one sends client_id. `nonce` is sent to /interact
 * when given (the ID token must echo it).
 */
export async function signIn(gh: TestServer, p: {
  clientId: string; clientSecret?: string; redirectUri?: string; username: string; password: string; scope?: string; nonce?: string;
}): Promise<TokenResponse> {
  const s = await signInForCode(gh, { ...p, redirectUri: p.redirectUri ?? DEFAULT_REDIRECT_URI, ...(p.nonce ? { extra: { nonce: p.nonce } } : {}) });
  const r = await token(gh, { grant_type: 'interaction_code', interaction_code: s.code, code_verifier: s.verifier, ...(p.clientSecret ? {} : { client_id: p.clientId }) }, p);
  if (r.status !== 200) throw new Error(`token failed: ${JSON.stringify(r.json)}`);
  return r.json as TokenResponse;
}
