// The IDX message catalogue: stable i18n keys (Okta's where Okta has one, so the Okta widget localises
// them) with English text. Every key used in code is defined here; a test walks the catalogue.
import type { IdxMessage, MessageClass } from '@gatehouse/protocol';

export const CATALOGUE = {
  'errors.E0000004': { message: 'Authentication failed', class: 'ERROR' },
  'idx.session.expired': { message: 'You have been logged out due to inactivity. Refresh or return to the sign in screen.', class: 'ERROR' },
  'model.validation.field.blank': { message: 'This field cannot be left blank', class: 'ERROR' },
  'model.validation.field.invalid': { message: 'This field has an invalid value', class: 'ERROR' },
  'idx.error.step.not.available': { message: 'This step is not available in the current state of the sign-in.', class: 'ERROR' },
  'idx.error.concurrent.update': { message: 'The sign-in was changed by another request. Try again.', class: 'ERROR' },
  'idx.transaction.cancelled': { message: 'The sign-in was cancelled.', class: 'INFO' },
  'errors.E0000047': { message: 'You exceeded the maximum number of requests. Try again in a while.', class: 'ERROR' },
  'idx.error.server': { message: 'Something went wrong. Try again later.', class: 'ERROR' },
  'api.authn.error.PASSCODE_INVALID': { message: 'Invalid code. Try again.', class: 'ERROR' },
  'idx.error.code.expired': { message: 'This code has expired or was tried too many times. Send a new one.', class: 'ERROR' },
  'idx.error.mail.not.sent': { message: 'We could not send the email. Try again in a moment.', class: 'ERROR' },
  'password.passwordRequirementsNotMet': { message: 'Password requirements were not met.', class: 'ERROR' },
  'registration.error.invalidLoginEmail': { message: 'Invalid email address.', class: 'ERROR' },
  'registration.error.notUniqueWithinOrg': { message: 'An account with that email already exists.', class: 'ERROR' },
  'oie.selfservice.unlock_user.success.message': { message: 'You can log in using your existing username and password', class: 'INFO' },
  'authfactor.challenge.soft_token.invalid_passcode': { message: "Your code doesn't match our records. Please try again.", class: 'ERROR' },
  'authfactor.challenge.soft_token.used_passcode': { message: 'Each code can only be used once. Please wait for a new code and try again.', class: 'ERROR' },
  'authfactor.webauthn.error.assertion_validation_failure': { message: 'None of the WebAuthn authenticators the user has enrolled for was able to validate the assertion', class: 'ERROR' },
} as const satisfies Record<string, { message: string; class: MessageClass }>;

export type MessageKey = keyof typeof CATALOGUE;

export function msg(key: MessageKey): IdxMessage {
  const m = CATALOGUE[key];
  return { message: m.message, i18n: { key }, class: m.class };
}

export const authenticationFailed = () => msg('errors.E0000004');
export const sessionExpired = () => msg('idx.session.expired');
export const fieldBlank = () => msg('model.validation.field.blank');
export const fieldInvalid = () => msg('model.validation.field.invalid');
export const stepNotAvailable = () => msg('idx.error.step.not.available');
export const concurrentUpdate = () => msg('idx.error.concurrent.update');
export const transactionCancelled = () => msg('idx.transaction.cancelled');
export const tooManyRequests = () => msg('errors.E0000047');
export const codeInvalid = () => msg('api.authn.error.PASSCODE_INVALID');
export const accountUnlocked = () => msg('oie.selfservice.unlock_user.success.message');
export const codeExpired = () => msg('idx.error.code.expired');
export const mailNotSent = () => msg('idx.error.mail.not.sent');
export const totpInvalid = () => msg('authfactor.challenge.soft_token.invalid_passcode');
export const codeUsed = () => msg('authfactor.challenge.soft_token.used_passcode');
export const webauthnFailed = () => msg('authfactor.webauthn.error.assertion_validation_failure');

/** Names the rules a new password broke (spec §7.2: the requirements sentence is the message's param). */
export function passwordRequirementsNotMet(problems: string[]): IdxMessage {
  const sentence = problems.join(' ');
  return { message: `Password requirements were not met. ${sentence}`, i18n: { key: 'password.passwordRequirementsNotMet', params: [sentence] }, class: 'ERROR' };
}

/**
 * An error rendered as an IDX response: the current forms again (stateHandle unchanged) plus messages,
 * global or attached to a field path such as `credentials.passcode`.
 */
export class IdxError extends Error {
  constructor(
    readonly status: number,
    readonly messages: IdxMessage[],
    readonly fieldMessages: Record<string, IdxMessage[]> = {},
    /** Terminal: the transaction is unusable; respond with messages only (no forms). */
    readonly terminal = false,
  ) {
    super(messages.map((m) => m.i18n?.key ?? m.message).join(', ') || Object.keys(fieldMessages).join(', '));
  }
}

export const sessionExpiredError = () => new IdxError(401, [sessionExpired()], {}, true);
