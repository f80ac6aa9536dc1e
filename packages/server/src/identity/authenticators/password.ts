// The password (`okta_password`): argon2id hashes in the user's password enrollment (identity/passwords.ts
// hashes, factor-check.ts checks). `settings` is what the widget lists as rules for a new password; it names
// only what checkPasswordPolicy enforces, so the rules shown are the rules applied.
import type { PasswordPolicy } from '../../store/interfaces.js';
import type { Authenticator } from './authenticator.js';

export const password: Authenticator = {
  key: 'okta_password', type: 'password', id: 'autPWD0000000000000', displayName: 'Password', methods: ['password'], amr: ['pwd'],
};

/** `settings` of the password authenticator (spec §7.3): only keys the Okta widget knows, or it throws. */
export function passwordSettings(policy: PasswordPolicy) {
  return {
    complexity: { minLength: policy.minLength, minLowerCase: 0, minUpperCase: 0, minNumber: 0, minSymbol: 0, excludeUsername: policy.excludeUsername, excludeAttributes: [] },
    age: { minAgeMinutes: 0, historyCount: 0 },
  };
}
