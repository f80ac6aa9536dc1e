// PKCE (RFC 7636) with S256, and the random values of a sign-in context.
import { createHash, randomBytes } from 'node:crypto';

/** A 256-bit verifier (43 base64url characters) and its S256 challenge. */
export function createPkce(): { codeVerifier: string; codeChallenge: string } {
  const codeVerifier = randomBytes(32).toString('base64url');
  return { codeVerifier, codeChallenge: challengeOf(codeVerifier) };
}

export function challengeOf(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

export const randomValue = (bytes = 24) => randomBytes(bytes).toString('base64url');
