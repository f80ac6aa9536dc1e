// Every handle, code, token and secret comes from here: CSPRNG, >= 128 bits, base64url.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 256 random bits, base64url (43 chars). For codes, handles, refresh tokens, client secrets. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** Okta-shaped object ids: a 3-char type prefix ('00u' users, '0oa' apps, ...) plus 128 random bits. */
export function newId(prefix: string): string {
  return prefix + randomBytes(16).toString('base64url').replace(/[-_]/g, 'x').slice(0, 17);
}

/** Secrets at rest are SHA-256 of high-entropy values (never passwords: those are argon2id). */
export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}

export function constantTimeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}
