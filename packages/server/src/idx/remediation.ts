// The shapes of the flow's parts (STYLE §4). A remediation is a form the client fills in; an action is a
// stateHandle-only form hung on an authenticator object (recover, resend, poll). Both report *facts*; what
// happens next is advance.ts's decision, never theirs.
import type { IdxField } from '@gatehouse/protocol';
import type { z } from 'zod';
import type { Deps } from '../deps.js';
import type { App, AuthenticatorKey, OrgPolicy } from '../store/interfaces.js';
import type { FlowContext, OtpChallenge, Transaction } from './transaction.js';

export interface StepContext {
  app: App;
  /** Client IP (http/client-ip.ts), for rate limits and audit events. */
  ip?: string;
}

/** What a step proved or did. */
export type Fact =
  | { kind: 'identified'; identifier: string; userId: string | null; rememberMe?: boolean }
  | { kind: 'verified'; authenticator: AuthenticatorKey; userId: string; at: number }
  | { kind: 'challenged'; authenticator: AuthenticatorKey; otp?: OtpChallenge; webauthnChallenge?: string }
  | { kind: 'enrolling'; enrolling: NonNullable<FlowContext['enrolling']> }
  | { kind: 'enrolled'; authenticator: AuthenticatorKey }
  | { kind: 'recovery-requested' }
  | { kind: 'sign-in-requested' }
  | { kind: 'registration-requested' }
  | { kind: 'unlock-requested' }
  | { kind: 'registered'; userId: string | null; identifier: string; emailVerification: boolean }
  | { kind: 'unlocked' }
  | { kind: 'password-reset'; userId: string; at: number };

export interface Remediation<Input = unknown> {
  /** Remediation name exactly as sent on the wire. */
  name: string;
  /** Path below the base URL that accepts this form. */
  path: string;
  /** The JSONPath the form relates to, when clients need it to pick an answer mapper (spec §7.5). */
  relatesTo?: string[];
  /** What the form shows in this state (the renderer appends the hidden stateHandle). */
  fields(tx: Transaction, view: ViewContext): IdxField[];
  /** What the form accepts; unknown keys are dropped. */
  input(ctx: StepContext): z.ZodType<Input>;
  /** What happened, or an IdxError. Facts that must survive a refusal (a failed code) are persisted by the step. */
  submit(tx: Transaction, input: Input, deps: Deps, ctx: StepContext): Promise<Fact[]>;
}

export interface Action {
  name: 'recover' | 'resend' | 'poll';
  path: string;
  submit(tx: Transaction, deps: Deps, ctx: StepContext): Promise<Fact[]>;
}

/** What rendering needs beyond the transaction, gathered by the engine before the pure render. */
export interface ViewContext {
  app: App;
  baseUrl: string;
  stateHandle: string;
  policy: OrgPolicy;
  /** Mail can be sent: recovery and the email authenticator are offered. */
  mailEnabled: boolean;
  /** TOTP enrollment screen data (QR code, shared secret), made by the engine from the sealed pending secret. */
  totp?: { qrcode: { href: string; type: string }; sharedSecret: string };
  /** The org's self-service settings as the identify page shows them ("Sign up", "Unlock account?"). */
  selfService?: { registration: boolean; unlock: boolean };
  /** The profile schema's custom attributes (enroll-profile). */
  profileSchema?: import('../store/interfaces.js').ProfileAttribute[];
  /** Passkey autofill on the identify page: the challengeData of a conditional-mediation request, when passkeys are on. */
  passkeyAutofill?: Record<string, unknown>;
  /** WebAuthn ceremony data for the current step, made by the engine. */
  webauthn?: { activationData?: Record<string, unknown>; challengeData?: Record<string, unknown>; credentials: import('@gatehouse/protocol').IdxAuthenticator[] };
}
