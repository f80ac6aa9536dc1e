// Token verification with an allow-list: RS256 only (no `none`, no HMAC with the public key), keys from the
// issuer's JWKS, `iss` equal to discovery's issuer, `aud`, `exp`/`iat`, and for ID tokens the sign-in's
// `nonce`. It does not introspect: a revoked but unexpired access token still verifies here.
import { errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { GatehouseConfig } from './config.js';
import { getDiscovery, getKeySet } from './discovery.js';
import { GatehouseError } from './errors.js';

export interface JwtExpectations {
  issuer: string;
  audience: string;
  /** When given, the token's `nonce` must equal it. */
  nonce?: string;
  clockToleranceSeconds: number;
}

/**
 * Verifies a JWT against a key resolver and explicit expectations. The building block of the two below.
 * @example
 * const claims = await verifyJwt(token, createLocalJWKSet(jwks), { issuer, audience: clientId, nonce, clockToleranceSeconds: 60 });
 */
export async function verifyJwt(token: string, keys: JWTVerifyGetKey, expected: JwtExpectations): Promise<JWTPayload> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, keys, {
      algorithms: ['RS256'], issuer: expected.issuer, audience: expected.audience,
      clockTolerance: expected.clockToleranceSeconds, requiredClaims: ['exp', 'iat', 'sub'],
    }));
  } catch (cause) {
    // A key set that cannot be fetched is the network's fault, not the token's.
    if (cause instanceof errors.JWKSTimeout || !(cause instanceof errors.JOSEError)) {
      throw new GatehouseError('NETWORK_ERROR', `could not load the issuer's keys: ${(cause as Error).message}`, { cause });
    }
    throw new GatehouseError('TOKEN_INVALID', `token rejected: ${cause.message}`, { cause });
  }
  // OIDC Core §3.1.3.7 (11): the nonce binds the ID token to this sign-in, which stops replayed tokens.
  if (expected.nonce !== undefined && payload.nonce !== expected.nonce) {
    throw new GatehouseError('TOKEN_INVALID', 'token rejected: nonce does not match this sign-in');
  }
  return payload;
}

/**
 * Verifies an ID token issued to this client (`aud` = clientId), and its `nonce` when given.
 * @example
 * const claims = await verifyIdToken(config, tokens.idToken, { nonce: context.nonce });
 */
export async function verifyIdToken(config: GatehouseConfig, idToken: string, opts: { nonce?: string } = {}): Promise<JWTPayload> {
  const { issuer } = await getDiscovery(config);
  return verifyJwt(idToken, await getKeySet(config), {
    issuer, audience: config.clientId, nonce: opts.nonce, clockToleranceSeconds: config.clockToleranceSeconds,
  });
}

/**
 * Verifies an access token for an API (`aud` default `api://default`, the default server's audience).
 * @example
 * const claims = await verifyAccessToken(config, bearer, { audience: 'api://default' });
 */
export async function verifyAccessToken(config: GatehouseConfig, accessToken: string, opts: { audience?: string } = {}): Promise<JWTPayload> {
  const { issuer } = await getDiscovery(config);
  return verifyJwt(accessToken, await getKeySet(config), {
    issuer, audience: opts.audience ?? 'api://default', clockToleranceSeconds: config.clockToleranceSeconds,
  });
}
