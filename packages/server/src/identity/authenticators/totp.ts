// Google Authenticator (`google_otp`): RFC 6238 TOTP through the otpauth library (SHA-1, 6 digits, 30 s), a
// ±1 step window, and a code never accepted twice: the enrollment's counter holds the last time step accepted
// and only goes up (store.enrollments.advanceCounter, one conditional update). The shared secret is sealed with
// the key vault at rest, like the signing keys, also while an enrollment is pending in a transaction.
import * as OTPAuth from 'otpauth';
import QRCode from 'qrcode';
import type { KeyVault } from '../../keys/key-vault.js';
import type { Authenticator } from './authenticator.js';

export const totp: Authenticator = {
  key: 'google_otp', type: 'app', id: 'autGOTP000000000000', displayName: 'Google Authenticator', methods: ['otp'], amr: ['otp'],
};

const PERIOD = 30;

export function newSecret(): string {
  return new OTPAuth.Secret({ size: 20 }).base32;
}

const generator = (secret: string) => new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: PERIOD });

/** The time step a code belongs to (within ±1 step of now), or null when it matches none. */
export function matchStep(secret: string, code: string, now: number): number | null {
  if (!/^\d{6}$/.test(code.trim())) return null;
  const delta = generator(secret).validate({ token: code.trim(), timestamp: now, window: 1 });
  return delta === null ? null : Math.floor(now / 1000 / PERIOD) + delta;
}

/** The code for a moment (tests and the benchmark compute codes the way an authenticator app does). */
export function codeAt(secret: string, now: number): string {
  return generator(secret).generate({ timestamp: now });
}

/** What the enrollment screen shows (spec §5.1): a QR code of the otpauth:// URI, and the secret to type. */
export async function enrollmentData(secret: string, issuer: string, account: string) {
  const uri = new OTPAuth.TOTP({ issuer, label: account, secret: OTPAuth.Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: PERIOD }).toString();
  return { qrcode: { href: await QRCode.toDataURL(uri, { errorCorrectionLevel: 'M', margin: 1 }), type: 'image/png' }, sharedSecret: secret };
}

export const sealSecret = (vault: KeyVault, secret: string) => vault.seal(secret);
export const openSecret = (vault: KeyVault, sealed: string) => vault.open(sealed);
