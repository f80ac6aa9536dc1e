// Every authenticator module, by key. Adding a factor is a module plus a line here.
import type { AuthenticatorKey } from '../../store/interfaces.js';
import type { Authenticator } from './authenticator.js';
import { email } from './email.js';
import { password } from './password.js';
import { totp } from './totp.js';
import { webauthn } from './webauthn.js';

export const AUTHENTICATORS: Partial<Record<AuthenticatorKey, Authenticator>> = { okta_password: password, okta_email: email, google_otp: totp, webauthn };

export function authenticatorById(id: unknown): Authenticator | undefined {
  return Object.values(AUTHENTICATORS).find((a) => a.id === id);
}
