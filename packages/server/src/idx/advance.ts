// The flow's one decision (STYLE §4): given what the transaction has proven and what the app's policy
// requires, which step comes next. Remediations report facts; `record` folds them into the transaction and
// `advance` picks the step. Diagram: flow.md. Sign-in requires what the policy lists (today: the password);
// recovery requires the mailbox, then a new password.
import type { AuthenticatorKey } from '../store/interfaces.js';
import { AUTHENTICATORS } from '../identity/authenticators/registry.js';
import type { Fact } from './remediation.js';
import type { FlowContext, Transaction, TxStep } from './transaction.js';

export interface FlowPolicy {
  /** Authenticators a sign-in must prove, in the order they are asked for. */
  required: AuthenticatorKey[];
}

/** Today's assurance for every app (`any-1`): the password. */
export const DEFAULT_FLOW_POLICY: FlowPolicy = { required: ['okta_password'] };

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
        const amr = [...new Set([...next.amr, ...(AUTHENTICATORS[key]?.amr ?? [])])];
        next = { ...next, userId: f.userId, amr, authTime: f.at, context: { ...c, satisfied: [...(c.satisfied ?? []), key], current: undefined, otp: undefined } };
        break;
      }
      case 'challenged':
        next = { ...next, context: { ...c, current: f.authenticator, otp: f.otp } };
        break;
      case 'sign-in-requested':
        // "Back to sign in": nothing typed or proven in recovery carries over.
        next = { ...next, identifier: null, userId: null, amr: [], authTime: null, context: {} };
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
  const at = (step: TxStep, current?: AuthenticatorKey): Transaction => ({ ...tx, step, context: { ...c, current: current ?? (step === 'challenge' ? c.current : undefined) } });
  if (c.intent === 'CREDENTIAL_RECOVERY') {
    if (!tx.identifier) return at('identify-recovery');
    if (!has(c, 'okta_email')) return c.current === 'okta_email' && c.otp ? at('challenge', 'okta_email') : at('select-authenticator');
    if (!has(c, 'okta_password')) return at('reset-password', 'okta_password');
    return at('success');
  }
  if (!tx.identifier) return at('identify');
  const missing = policy.required.find((k) => !has(c, k));
  if (!missing) return at('success');
  return at('challenge', missing);
}

/** Steps whose transaction can no longer be used: any IDX call gets the session-expired answer. */
export const isFinished = (step: TxStep) => step === 'success' || step === 'cancelled';
