// Token verification with an allow-list: RS256 only, keys from the issuer's JWKS, `iss`, `aud`, `exp`
// checked, and for ID tokens the `nonce` of the sign-in.
import { jwtVerify, type JWTPayload } from 'jose';
import { GatehouseError } from './errors.js';

export type KeyResolver = () => Promise<Parameters<typeof jwtVerify>[1]>;

export interface VerifyOptions {
  issuer: string;
  audience: string;
  nonce?: string;
  clockToleranceSeconds: number;
}

/**
 * Verifies a JWT signed by the issuer.
 * @example
 * const claims = await verifyJwt(idToken, keys, { issuer, audience: clientId, nonce, clockToleranceSeconds: 60 });
 */
export async function verifyJwt(token: string, keys: KeyResolver, o: VerifyOptions): Promise<JWTPayload> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, (await keys()) as any, {
      algorithms: ['RS256'], issuer: o.issuer, audience: o.audience, clockTolerance: o.clockToleranceSeconds, requiredClaims: ['exp', 'iat'],
    }));
  } catch (cause) {
    throw new GatehouseError('TOKEN_INVALID', `token rejected: ${(cause as Error).message}`, { cause });
  }
  if (o.nonce !== undefined && payload.nonce !== o.nonce) throw new GatehouseError('TOKEN_INVALID', 'token rejected: nonce does not match the sign-in');
  return payload;
}
