// Minting Okta-shaped tokens (spec §10.4-10.5) and verifying our own access tokens.
// Access token `jti`s name the grant they came from (`AT.<random>.<grantId>`), so revoking a grant kills its
// access tokens without a row per token.
import { createHash } from 'node:crypto';
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import type { Deps } from '../deps.js';
import { accessTokenAudience, issuerOf } from '../deps.js';
import type { App, AuthServer, Grant, User } from '../store/interfaces.js';
import { randomToken, sha256 } from '../random.js';
import { userClaims } from './scope.js';
import { invalidToken } from './errors.js';

export interface AccessTokenClaims {
  ver: 1;
  jti: string;
  iss: string;
  aud: string;
  iat: number;
  exp: number;
  cid: string;
  uid?: string;
  scp: string[];
  sub: string;
  auth_time?: number;
}

async function sign(deps: Deps, claims: object): Promise<string> {
  return new SignJWT(claims as Record<string, unknown>)
    // Only alg and kid, as Okta's tokens: Okta's Go verifier (used by okta-idx-golang) refuses any other header key.
    .setProtectedHeader({ alg: 'RS256', kid: deps.keys.activeKid() })
    .sign(deps.keys.activePrivateKey());
}

export function idpId(deps: Deps): string {
  return '00o' + sha256(deps.cfg.baseUrl).replace(/[-_]/g, 'x').slice(0, 17);
}

export async function mintAccessToken(deps: Deps, server: AuthServer, app: App, scopes: string[], user: User | null, grant: Grant | null) {
  const iat = Math.floor(deps.now() / 1000);
  const claims: AccessTokenClaims = {
    ver: 1,
    jti: grant ? `AT.${randomToken(16)}.${grant.id}` : `AT.${randomToken(16)}`,
    iss: issuerOf(deps.cfg, server),
    aud: accessTokenAudience(deps.cfg, server),
    iat,
    exp: iat + server.accessTokenTtl,
    cid: app.clientId,
    ...(user ? { uid: user.id } : {}),
    scp: scopes,
    sub: user ? user.login : app.clientId,
    ...(grant?.authTime ? { auth_time: Math.floor(grant.authTime / 1000) } : {}),
  };
  return { token: await sign(deps, claims), claims };
}

export async function mintIdToken(deps: Deps, server: AuthServer, app: App, user: User, grant: Grant, accessToken: string, nonce: string | null) {
  const iat = Math.floor(deps.now() / 1000);
  // OIDC Core §3.1.3.6: at_hash is the left half of SHA-256 of the access token, base64url.
  const atHash = createHash('sha256').update(accessToken).digest().subarray(0, 16).toString('base64url');
  const scoped = userClaims(user, grant.scopes);
  const claims = {
    ...pick(scoped, ['sub', 'name', 'email', 'preferred_username', 'given_name', 'family_name', 'email_verified', 'locale', ...Object.keys(user.profile ?? {})]),
    sub: user.id,
    ver: 1,
    iss: issuerOf(deps.cfg, server),
    aud: app.clientId,
    iat,
    exp: iat + server.idTokenTtl,
    jti: `ID.${randomToken(16)}`,
    amr: grant.amr.length ? grant.amr : ['pwd'],
    acr: acrOf(grant.amr),
    idp: idpId(deps),
    ...(nonce ? { nonce } : {}),
    auth_time: Math.floor((grant.authTime ?? deps.now()) / 1000),
    at_hash: atHash,
  };
  return sign(deps, claims);
}

/**
 * The assurance the sign-in reached, as Okta names it: a phishing-resistant key, two factors, or one. Derived from
 * what was really used (amr), so a token never claims more than the sign-in proved.
 */
export function acrOf(amr: string[]): string {
  if (amr.includes('hwk')) return 'phishing-resistant';
  return amr.includes('mfa') ? 'urn:okta:loa:2fa:any' : 'urn:okta:loa:1fa:any';
}

function pick(o: Record<string, unknown>, keys: string[]) {
  const r: Record<string, unknown> = {};
  for (const k of keys) if (o[k] !== undefined) r[k] = o[k];
  return r;
}

export function grantIdOfJti(jti: string): string | null {
  const parts = jti.split('.');
  return parts.length === 3 ? parts[2]! : null;
}

/**
 * Verifies an access token issued by `server`: RS256 only, `kid` from our own key ring (header keys such as
 * jku/x5u/jwk are never followed), `iss`, `aud`, `exp`, then revocation in the store.
 */
export async function verifyAccessToken(deps: Deps, server: AuthServer, token: string): Promise<AccessTokenClaims> {
  if (token.length > 8192) throw invalidToken({ detail: 'token too long' });
  let payload: AccessTokenClaims;
  try {
    const res = await jwtVerify(token, async (header) => {
      const key = header.kid ? deps.keys.publicKey(header.kid) : undefined;
      if (!key) throw new joseErrors.JWKSNoMatchingKey();
      return key;
    }, {
      algorithms: ['RS256'],
      issuer: issuerOf(deps.cfg, server),
      audience: accessTokenAudience(deps.cfg, server),
      currentDate: new Date(deps.now()),
      clockTolerance: deps.cfg.clockSkewSeconds,
      requiredClaims: ['jti', 'exp', 'iat', 'cid'],
    });
    payload = res.payload as unknown as AccessTokenClaims;
  } catch (e) {
    throw invalidToken({ detail: `access token rejected: ${(e as Error).message}` });
  }
  if (await isAccessTokenRevoked(deps, payload.jti)) throw invalidToken({ detail: 'access token revoked' });
  return payload;
}

export async function isAccessTokenRevoked(deps: Deps, jti: string): Promise<boolean> {
  if (await deps.store.tokens.isJtiRevoked(jti)) return true;
  const grantId = grantIdOfJti(jti);
  if (!grantId) return false;
  const grant = await deps.store.tokens.findGrant(grantId);
  return !grant || grant.revokedAt !== null;
}
