// The token endpoint: redeeming an interaction code (the seed's RedeemInteractionCodeAsync) with the
// context's PKCE verifier, checking the widget's callback first, and refreshing. An ID token is verified
// before any token is handed back; refreshed tokens are verified too.
import type { TokenResponse } from '@gatehouse/protocol';
import type { JWTPayload } from 'jose';
import { timingSafeEqual } from 'node:crypto';
import type { GatehouseConfig } from './config.js';
import { GatehouseError } from './errors.js';
import { basicAuthorization, formBody, sendOAuth } from './http.js';
import type { SignInContext } from './interact.js';
import { verifyIdToken } from './verify.js';

export interface TokenSet {
  accessToken: string;
  idToken: string;
  /** Present when `offline_access` was granted. It rotates on refresh: keep the new one. */
  refreshToken?: string;
  /** Seconds. */
  expiresIn: number;
  scope: string;
  tokenType: string;
  /** The verified ID token's claims. */
  claims: JWTPayload;
}

/** Tokens from a refresh: an ID token (verified) only when the server sends one. */
export type RefreshedTokenSet = Omit<TokenSet, 'idToken' | 'claims'> & { idToken?: string; claims?: JWTPayload };

/** The query of the redirect URI, as the widget (or an error redirect) sends it. */
export interface CallbackParams {
  state?: string;
  interaction_code?: string;
  error?: string;
  error_description?: string;
}

/**
 * POST to the token endpoint as this client: `client_id` always, the secret with HTTP Basic when configured.
 * @example
 * const res = await postToken(config, { grant_type: 'refresh_token', refresh_token });
 */
export async function postToken(config: GatehouseConfig, params: Record<string, string | undefined>): Promise<TokenResponse> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
  if (config.clientSecret) headers.authorization = basicAuthorization(config.clientId, config.clientSecret);
  const res = (await sendOAuth(config, config.endpoints.token, {
    method: 'POST', headers, body: formBody({ ...params, client_id: config.clientId }),
  })) as Partial<TokenResponse> | undefined;
  if (!res || typeof res.access_token !== 'string') throw new GatehouseError('OAUTH_ERROR', 'the token response has no access_token', { error: 'server_error' });
  return res as TokenResponse;
}

/**
 * Exchanges the interaction code with the context's verifier, then verifies the ID token (RS256 from the
 * issuer's keys, `iss`, `aud`, `exp`, and `nonce` === context.nonce) before returning anything.
 * @example
 * const tokens = await redeemInteractionCode(config, req.session.signIn, req.query.interaction_code);
 */
export async function redeemInteractionCode(config: GatehouseConfig, context: SignInContext, interactionCode: string): Promise<TokenSet> {
  if (!interactionCode) throw new GatehouseError('CONFIG_ERROR', 'interactionCode is required');
  if (!context?.codeVerifier || !context.nonce) throw new GatehouseError('CONFIG_ERROR', 'the sign-in context has no codeVerifier or nonce');
  const res = await postToken(config, {
    grant_type: 'interaction_code', interaction_code: interactionCode, code_verifier: context.codeVerifier, redirect_uri: config.redirectUri,
  });
  if (!res.id_token) throw new GatehouseError('TOKEN_INVALID', 'the token response has no id_token');
  const claims = await verifyIdToken(config, res.id_token, { nonce: context.nonce });
  return { ...common(res), idToken: res.id_token, claims };
}

/**
 * New tokens from a refresh token. The refresh token rotates: keep the returned one.
 * @example
 * const next = await refreshTokens(config, tokens.refreshToken);
 */
export async function refreshTokens(config: GatehouseConfig, refreshToken: string): Promise<RefreshedTokenSet> {
  if (!refreshToken) throw new GatehouseError('CONFIG_ERROR', 'refreshToken is required');
  const res = await postToken(config, { grant_type: 'refresh_token', refresh_token: refreshToken });
  // OIDC Core §12.2: a refreshed ID token carries no new nonce, so only signature, iss, aud and exp are checked.
  if (!res.id_token) return common(res);
  return { ...common(res), idToken: res.id_token, claims: await verifyIdToken(config, res.id_token) };
}

const common = (res: TokenResponse) => ({
  accessToken: res.access_token, refreshToken: res.refresh_token, expiresIn: res.expires_in, scope: res.scope, tokenType: res.token_type,
});

/**
 * Checks a callback against its sign-in and returns the interaction code: STATE_MISMATCH when `state`
 * differs (constant-time compare), OAUTH_ERROR when the callback carries `error`.
 * @example
 * const code = checkCallback(req.session.signIn, req.query);
 */
export function checkCallback(context: SignInContext | undefined, params: CallbackParams): string {
  // The state binds the callback to the browser session that started the sign-in (RFC 6749 §10.12, CSRF).
  if (!context?.state || typeof params.state !== 'string' || !sameSecret(params.state, context.state)) {
    throw new GatehouseError('STATE_MISMATCH', 'the callback state does not belong to this sign-in');
  }
  if (params.error) {
    // Carried through unchanged; an app that shows it must escape it (it came from the browser's URL).
    throw new GatehouseError('OAUTH_ERROR', params.error_description ? `${params.error}: ${params.error_description}` : params.error, {
      error: params.error, error_description: params.error_description,
    });
  }
  if (!params.interaction_code) throw new GatehouseError('OAUTH_ERROR', 'the callback carries no interaction_code', { error: 'invalid_request' });
  return params.interaction_code;
}

/**
 * The whole callback: `checkCallback`, then `redeemInteractionCode`.
 * @example
 * const tokens = await handleCallback(config, req.session.signIn, req.query);
 */
export async function handleCallback(config: GatehouseConfig, context: SignInContext | undefined, params: CallbackParams): Promise<TokenSet> {
  const code = checkCallback(context, params);
  return redeemInteractionCode(config, context as SignInContext, code);
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  // timingSafeEqual needs equal lengths; the length of a random state is not the secret.
  return x.length === y.length && timingSafeEqual(x, y);
}
