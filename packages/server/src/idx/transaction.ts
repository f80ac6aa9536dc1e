// The IDX transaction: the flow's own record, owned by idx/ (the store only persists it). `step` says which
// forms are offered; `context` is the per-step JSON state (what was proven, the pending challenge, the intent),
// as Kratos keeps flow state, so a new step adds no column.
import type { Assurance, AuthenticatorKey } from '../store/interfaces.js';

/**
 * Where the flow stands. `challenge` asks for `context.current`; `select-authenticator` offers the factors that
 * can prove what is missing; the recovery steps run with `context.intent` CREDENTIAL_RECOVERY.
 */
export type TxStep = 'identify' | 'challenge' | 'select-authenticator' | 'select-enroll' | 'enroll' | 'identify-recovery' | 'reset-password' | 'enroll-profile' | 'unlock' | 'done' | 'success' | 'cancelled';

export interface OtpChallenge {
  /** SHA-256 of the code; the code itself is only in the message. */
  hash: string;
  expiresAt: number;
  /** Wrong answers so far; at the factor's limit the code is dead and a new one must be sent. */
  failures: number;
  /** Messages sent for this challenge (the first one and every resend). */
  sends: number;
  sentAt: number;
}

export interface FlowContext {
  intent?: 'LOGIN' | 'CREDENTIAL_RECOVERY' | 'ENROLL_NEW_USER' | 'UNLOCK_ACCOUNT';
  /** Registration: the profile was submitted (the user, or for an address already taken nobody, is set). */
  profileDone?: boolean;
  /** A finished flow that ends in a message rather than a code (an unlocked account). */
  terminal?: 'unlocked';
  /** Authenticators proven in this transaction, in order. */
  satisfied?: AuthenticatorKey[];
  /** The authenticator being challenged or reset. */
  current?: AuthenticatorKey;
  otp?: OtpChallenge;
  /** Recovery started from an administrator's recovery token: the user is known and mail already proved. */
  recoveryToken?: boolean;
  /** What a select step offers, decided by advance.ts from the policy and the user's enrollments. */
  choices?: Choice[];
  /** The choice being challenged (kept when the step moves on from the list). */
  picked?: Choice;
  /** An enrollment under way (select-enroll → enroll): the authenticator and its pending, sealed data. */
  enrolling?: { key: AuthenticatorKey; sealedSecret?: string; challenge?: string };
  /** The assurance this transaction must reach: the app's, or higher when the request asked (acr_values). */
  assurance?: Assurance;
  /** A WebAuthn challenge issued for this transaction (base64url), for the assertion that answers it. */
  webauthnChallenge?: string;
}

/** One option of a select-authenticator form: an authenticator and, when the user has one, their enrollment. */
export interface Choice {
  key: AuthenticatorKey;
  enrollmentId?: string;
  /** What the option shows about the enrollment (a masked address, a credential's name). */
  profile?: Record<string, string>;
}

export interface Transaction {
  id: string;
  stateHandleHash: string;
  interactionHandleHash: string;
  clientId: string;
  authServerId: string;
  redirectUri: string;
  scopes: string[];
  /** Optional only on v1/authorize with a PKCE challenge (RFC 9700 §2.1.1). */
  state: string | null;
  nonce: string | null;
  /** Null only for a v1/authorize request of a web app whose PKCE is optional. */
  codeChallenge: string | null;
  /** 'interact' (embedded, ends in an interaction_code) or 'authorize' (hosted page, ends in a code redirect). */
  kind: 'interact' | 'authorize';
  loginHint: string | null;
  /** What the user typed at identify (kept even when no such user exists, to render the next page). */
  identifier: string | null;
  step: TxStep;
  /** Per-step flow state (JSON): what was proven, what is being challenged, the intent. */
  context: FlowContext;
  userId: string | null;
  amr: string[];
  authTime: number | null;
  /** "Keep me signed in" was asked for at identify: the IdP session outlives the browser session. */
  rememberMe: boolean;
  version: number;
  createdAt: number;
  expiresAt: number;
}
