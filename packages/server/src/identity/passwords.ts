// argon2id password hashing (@node-rs/argon2) behind a bound of `hashConcurrency` concurrent hashes, so
// sign-ins that saturate the CPU leave every other request fast. Unknown users are verified against a
// fixed dummy hash of the same cost, so timing does not reveal whether an account exists.
import { hash, verify, Algorithm } from '@node-rs/argon2';
import type { Config } from '../config.js';
import type { PasswordPolicy } from '../store/interfaces.js';

export interface Passwords {
  hash(password: string): Promise<string>;
  /** Verifies against `stored`, or against the dummy hash when `stored` is null (always false then). */
  verify(stored: string | null, password: string): Promise<boolean>;
}

/** Longer inputs are refused before hashing (argon2 accepts any length; we cap the work an attacker can ask for). */
export const MAX_PASSWORD_LENGTH = 256;

export function createPasswords(cfg: Pick<Config, 'argon2' | 'hashConcurrency'>): Passwords {
  const options = { algorithm: Algorithm.Argon2id, memoryCost: cfg.argon2.memoryCost, timeCost: cfg.argon2.timeCost, parallelism: cfg.argon2.parallelism };
  const gate = semaphore(cfg.hashConcurrency);
  // Made once, up front, so the first unknown user does not pay for hashing it (a timing tell).
  const dummy = hash('gatehouse-dummy-password-for-unknown-users', options);
  dummy.catch(() => {});
  const dummyHash = () => dummy;

  return {
    hash: (password) => gate(() => hash(password, options)),
    async verify(stored, password) {
      const target = stored ?? (await dummyHash());
      const ok = await gate(() => verify(target, password.slice(0, MAX_PASSWORD_LENGTH)).catch(() => false));
      return stored !== null && ok;
    },
  };
}

/** Reasons a new password is refused; empty when it is acceptable. */
export function checkPasswordPolicy(password: string, login: string, policy: PasswordPolicy): string[] {
  const problems: string[] = [];
  if (password.length < policy.minLength) problems.push(`Password must be at least ${policy.minLength} characters.`);
  if (password.length > MAX_PASSWORD_LENGTH) problems.push(`Password must be at most ${MAX_PASSWORD_LENGTH} characters.`);
  if (policy.excludeUsername) {
    const local = login.toLowerCase().split('@')[0] ?? '';
    if (local.length >= 3 && password.toLowerCase().includes(local)) problems.push('Password must not contain the username.');
  }
  return problems;
}

function semaphore(limit: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async function run<T>(fn: () => Promise<T>): Promise<T> {
    if (active >= limit) await new Promise<void>((r) => waiting.push(r));
    active++;
    try {
      return await fn();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}
