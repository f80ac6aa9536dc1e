// PKCE (RFC 7636) with S256 only, and the random values of a sign-in context. All randomness comes from
// node:crypto; nothing here is homemade crypto beyond base64url of random bytes.
import { createHash, randomBytes } from 'node:crypto';

/**
 * A fresh verifier (32 random bytes = 256 bits, 43 base64url characters; RFC 7636 §4.1) and its S256 challenge.
 * @example
 * const { codeVerifier, codeChallenge } = createPkce();
 */
export function createPkce(): { codeVerifier: string; codeChallenge: string } {
  const codeVerifier = randomBytes(32).toString('base64url');
  return { codeVerifier, codeChallenge: s256Challenge(codeVerifier) };
}

/**
 * BASE64URL(SHA256(ASCII(verifier))), RFC 7636 §4.2.
 * @example
 * s256Challenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'); // 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'
 */
export function s256Challenge(codeVerifier: string): string {
  return createHash('sha256').update(codeVerifier, 'ascii').digest('base64url');
}

/**
 * An unguessable value for `state` or `nonce`: 32 random bytes (256 bits), base64url.
 * @example
 * const state = randomToken();
 */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}
