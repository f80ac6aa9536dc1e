// The flow's one decision (STYLE §4): given what the transaction has proven and what the app's policy
// requires, which step comes next. Remediations report facts; `record` folds them into the transaction and
// `advance` picks the step. Diagram: flow.md. A sign-in needs what its assurance asks (any-1: one factor;
// any-2: two different ones; phishing-resistant: WebAuthn), asking first for the password, then letting the user
// choose among what they have enrolled, or enroll what they lack. Recovery needs the mailbox, then a new password.
import type { Assurance, AuthenticatorKey } from '../store/interfaces.js';
import { AUTHENTICATORS } from '../identity/authenticators/registry.js';
import type { Fact } from './remediation.js';
import type { Choice, FlowContext, Transaction, TxStep } from './transaction.js';

export interface FlowPolicy {
  assurance: Assurance;
  /** Authenticators the org has on (and that can work here: email needs mail). */
  active: AuthenticatorKey[];
  /** The user's enrollments, loaded only when the assurance is not met yet. */
  enrolled?: Choice[];
  /** This browser is remembered for the user: a second factor is not asked again (never for phishing-resistant). */
  rememberedDevice?: boolean;
}

/** Today's default for every app: one factor, the password. */
export const DEFAULT_FLOW_POLICY: FlowPolicy = { assurance: 'any-1', active: ['okta_password'] };

const RANK: Record<Assurance, number> = { 'any-1': 1, 'any-2': 2, 'phishing-resistant': 3 };
/** The stronger of two assurances (an app's and a request's acr_values). */
export const stronger = (a: Assurance, b: Assurance | undefined): Assurance => (b && RANK[b] > RANK[a] ? b : a);

/** Whether what was proven meets the assurance. */
export function isAssured(satisfied: AuthenticatorKey[], assurance: Assurance, rememberedDevice = false): boolean {
  if (assurance === 'phishing-resistant') return satisfied.includes('webauthn');
  if (assurance === 'any-2') return new Set(satisfied).size >= 2 || (rememberedDevice && satisfied.length >= 1);
  return satisfied.length >= 1;
}

/** Which authenticators can add what is missing (what was proven already is left out by the caller). */
const fits = (assurance: Assurance, k: AuthenticatorKey) => (assurance === 'phishing-resistant' ? k === 'webauthn' : true);

const has = (c: FlowContext, k: AuthenticatorKey) => (c.satisfied ?? []).includes(k);

/** Folds facts into the transaction (not persisted here). */
export function record(tx: Transaction, facts: Fact[]): Transaction {
  let next = tx;
  for (const f of facts) {
    const c = next.context;
    switch (f.kind) {
      case 'identified':
        next = { ...next, identifier: f.identifier, userId: f.userId, rememberMe: f.rememberMe ?? next.rememberMe };
        break;
      case 'verified':
      case 'password-reset': {
        const key = f.kind === 'verified' ? f.authenticator : 'okta_password';
        const proven = new Set([...(c.satisfied ?? []), key]);
        // RFC 8176 `mfa`: more than one authenticator was used.
        const amr = [...new Set([...next.amr, ...(AUTHENTICATORS[key]?.amr ?? []), ...(proven.size > 1 ? ['mfa'] : [])])];
        next = { ...next, userId: f.userId, amr, authTime: f.at, context: { ...c, satisfied: [...(c.satisfied ?? []), key], current: undefined, otp: undefined, webauthnChallenge: undefined, choices: undefined, picked: undefined } };
        break;
      }
      case 'challenged':
        next = { ...next, context: { ...c, current: f.authenticator, otp: f.otp, webauthnChallenge: f.webauthnChallenge, picked: c.choices?.find((x) => x.key === f.authenticator) ?? c.picked } };
        break;
      case 'enrolling':
        next = { ...next, context: { ...c, enrolling: f.enrolling } };
        break;
      case 'enrolled':
        next = { ...next, context: { ...next.context, enrolling: undefined } };
        break;
      case 'sign-in-requested':
        // "Back to sign in": nothing typed or proven in recovery carries over.
        next = { ...next, identifier: null, userId: null, amr: [], authTime: null, context: {} };
        break;
      case 'registration-requested':
        next = { ...next, identifier: null, userId: null, amr: [], authTime: null, context: { intent: 'ENROLL_NEW_USER' } };
        break;
      case 'unlock-requested':
        next = { ...next, identifier: null, userId: null, amr: [], authTime: null, context: { intent: 'UNLOCK_ACCOUNT' } };
        break;
      case 'registered':
        next = { ...next, identifier: f.identifier, userId: f.userId, context: { ...c, profileDone: true } };
        break;
      case 'unlocked':
        next = { ...next, context: { ...c, terminal: 'unlocked' } };
        break;
      case 'recovery-requested':
        // Whatever was proven for sign-in does not count towards recovery: start over with the mailbox.
        next = { ...next, amr: [], authTime: null, context: { intent: 'CREDENTIAL_RECOVERY' } };
        break;
    }
  }
  return next;
}

/** The step the transaction is in once its facts are recorded. */
export function advance(tx: Transaction, policy: FlowPolicy): Transaction {
  const c = tx.context;
  const at = (step: TxStep, current?: AuthenticatorKey, choices?: Choice[]): Transaction =>
    ({ ...tx, step, context: { ...c, current: current ?? (step === 'challenge' ? c.current : undefined), choices } });
  if (c.intent === 'CREDENTIAL_RECOVERY') {
    if (!tx.identifier) return at('identify-recovery');
    if (!has(c, 'okta_email')) return c.current === 'okta_email' && c.otp ? at('challenge', 'okta_email') : at('select-authenticator', undefined, [{ key: 'okta_email' }]);
    if (!has(c, 'okta_password')) return at('reset-password', 'okta_password');
    return at('success');
  }
  if (c.intent === 'ENROLL_NEW_USER') {
    if (!c.profileDone) return at('enroll-profile');
    // The address's owner proves it with the mailed code (enroll-authenticator, so auth-js 7 and 8 both run it);
    // with verification off the registration itself signed the user in.
    if ((c.satisfied ?? []).length === 0) return { ...tx, step: 'enroll', context: { ...c, enrolling: { key: 'okta_email' }, current: 'okta_email' } };
    return at('success');
  }
  if (c.intent === 'UNLOCK_ACCOUNT') {
    if (c.terminal) return at('done');
    return c.current === 'okta_email' && c.otp ? at('challenge', 'okta_email') : at('unlock');
  }
  if (!tx.identifier) return at('identify');
  const satisfied = c.satisfied ?? [];
  const assurance = stronger(policy.assurance, c.assurance);
  if (isAssured(satisfied, assurance, policy.rememberedDevice)) return at('success');
  if (c.enrolling) return at('enroll', c.enrolling.key);
  if (c.current && !has(c, c.current)) return at('challenge', c.current);
  const enrolled = policy.enrolled ?? [];
  if (satisfied.length === 0) {
    // The first factor is the password, as always; a phishing-resistant sign-in starts with the user's key.
    const keys = enrolled.filter((e) => e.key === 'webauthn');
    if (assurance === 'phishing-resistant' && keys.length) return at('select-authenticator', undefined, keys);
    return at('challenge', 'okta_password');
  }
  const candidates = enrolled.filter((e) => policy.active.includes(e.key) && !has(c, e.key) && fits(assurance, e.key));
  if (candidates.length) return at('select-authenticator', undefined, candidates);
  const enrollable = policy.active
    .filter((k) => fits(assurance, k) && k !== 'okta_email' && k !== 'okta_password' && !enrolled.some((e) => e.key === k))
    .map((key) => ({ key }));
  return at('select-enroll', undefined, enrollable);
}

/** Steps whose transaction can no longer be used: any IDX call gets the session-expired answer. */
export const isFinished = (step: TxStep) => step === 'success' || step === 'cancelled' || step === 'done';
