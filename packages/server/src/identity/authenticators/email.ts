// The email authenticator (`okta_email`): a 6-digit one-time code, valid 5 minutes, stored only as its hash in
// the transaction's context, single use (the transaction moves on in the same versioned write), and dead after
// a few wrong answers. The same code travels in the magic link. Sending is mail/'s job; this module decides
// what a code is and whether an answer matches it.
import { randomInt, timingSafeEqual } from 'node:crypto';
import { sha256 } from '../../random.js';
import type { OtpChallenge } from '../../idx/transaction.js';
import type { Authenticator } from './authenticator.js';

export const email: Authenticator = {
  key: 'okta_email', type: 'email', id: 'autEMAIL00000000000', displayName: 'Email', methods: ['email'], amr: ['email'],
};

export const CODE_TTL_MS = 5 * 60_000;
/** Wrong answers a code survives; the next one kills it and a new code must be sent. */
export const MAX_CODE_FAILURES = 5;
/** Messages one challenge may send (the first and the resends). */
export const MAX_SENDS = 5;

/** A fresh code and the challenge that remembers it (the code itself is only ever in the message). */
export function issueCode(now: number, previous?: OtpChallenge): { code: string; challenge: OtpChallenge } {
  const code = randomInt(0, 1_000_000).toString().padStart(6, '0');
  return { code, challenge: { hash: sha256(code), expiresAt: now + CODE_TTL_MS, failures: 0, sends: (previous?.sends ?? 0) + 1, sentAt: now } };
}

export type CodeCheck = 'ok' | 'wrong' | 'expired' | 'exhausted';

export function checkCode(challenge: OtpChallenge | undefined, answer: string, now: number): CodeCheck {
  if (!challenge) return 'wrong';
  if (challenge.failures >= MAX_CODE_FAILURES) return 'exhausted';
  if (now >= challenge.expiresAt) return 'expired';
  const given = Buffer.from(sha256(answer.trim()));
  const expected = Buffer.from(challenge.hash);
  return given.length === expected.length && timingSafeEqual(given, expected) ? 'ok' : 'wrong';
}

/** `j***e@example.com`: enough to recognise one's own address, not enough to learn someone else's. */
export function maskEmail(address: string): string {
  const at = address.lastIndexOf('@');
  if (at < 1) return '***';
  const local = address.slice(0, at);
  const masked = local.length <= 2 ? local[0] + '***' : `${local[0]}***${local[local.length - 1]}`;
  return masked + address.slice(at);
}
