// Remember this device: after a sign-in with a second factor on an app that allows it, the browser gets a signed,
// HttpOnly cookie naming the user, an expiry and a fingerprint of the user's second factors. While it is valid,
// a sign-in by that user on that browser needs no second factor (any-2 only: never for phishing-resistant). It
// is worth nothing for another user or browser, and it dies when the user's factors change (the fingerprint no
// longer matches) or the app's window passes. HMAC under a key the vault derives; compared in constant time.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { KeyVault } from '../keys/key-vault.js';
import { sha256 } from '../random.js';
import type { Enrollment } from '../store/interfaces.js';

export const DEVICE_COOKIE = 'gh_device';

/** The second factors the cookie is bound to: it stops counting when any is added or removed. */
export const factorPrint = (enrollments: Enrollment[]) =>
  sha256(enrollments.filter((e) => e.authenticator !== 'okta_password' && e.authenticator !== 'okta_email' && e.status === 'ACTIVE').map((e) => e.id).sort().join(','))
    .slice(0, 16);

const mac = (vault: KeyVault, body: string) => createHmac('sha256', vault.subkey('remember-device')).update(body).digest('base64url');

export function deviceCookieValue(vault: KeyVault, userId: string, print: string, expiresAt: number): string {
  const body = Buffer.from(JSON.stringify({ u: userId, f: print, e: expiresAt })).toString('base64url');
  return `${body}.${mac(vault, body)}`;
}

export function isRemembered(vault: KeyVault, value: string | undefined, userId: string, print: string, now: number): boolean {
  if (!value || value.length > 500) return false;
  const [body = '', sig = ''] = value.split('.');
  const expected = Buffer.from(mac(vault, body));
  if (Buffer.byteLength(sig) !== expected.length || !timingSafeEqual(Buffer.from(sig), expected)) return false;
  try {
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { u: string; f: string; e: number };
    return claims.u === userId && claims.f === print && typeof claims.e === 'number' && claims.e > now;
  } catch {
    return false;
  }
}
