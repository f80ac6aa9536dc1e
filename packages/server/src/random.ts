// Every handle, code, token and secret comes from here: CSPRNG, >= 128 bits, base64url.
import { createHash, randomFillSync, timingSafeEqual } from 'node:crypto';

// One call into the CSPRNG per 4 KiB instead of one per value (as node's own randomUUID does): a call costs
// microseconds whatever its size, and a sign-in draws a dozen values. Each refill is a new buffer, so bytes
// handed out are never overwritten, and no byte is handed out twice.
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let used = 0;

function randomBytesPooled(n: number): Buffer {
  if (n > POOL_BYTES / 8) return randomFillSync(Buffer.alloc(n));
  if (used + n > pool.length) {
    pool = randomFillSync(Buffer.allocUnsafe(POOL_BYTES));
    used = 0;
  }
  used += n;
  return pool.subarray(used - n, used);
}

/** 256 random bits, base64url (43 chars). For codes, handles, refresh tokens, client secrets. */
export function randomToken(bytes = 32): string {
  return randomBytesPooled(bytes).toString('base64url');
}

/** Okta-shaped object ids: a 3-char type prefix ('00u' users, '0oa' apps, ...) and 17 random characters. Not secrets. */
export function newId(prefix: string): string {
  return prefix + randomBytesPooled(16).toString('base64url').replace(/[-_]/g, 'x').slice(0, 17);
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
