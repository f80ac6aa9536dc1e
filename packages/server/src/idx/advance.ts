// The sign-in flow as data: which remediations each step offers, and the transition table between steps.
// A transition missing from the table is a bug and throws; there is no fallthrough. Diagram: flow.md.
import type { TxStep } from '../store/interfaces.js';
import type { Remediation } from './remediation.js';
import { identify } from './remediations/identify.js';
import { challengePassword } from './remediations/challenge-password.js';

export type FlowEvent = 'identified' | 'password-verified';

const TRANSITIONS: Record<TxStep, Partial<Record<FlowEvent, TxStep>>> = {
  identify: { identified: 'challenge-password', 'password-verified': 'success' },
  'challenge-password': { 'password-verified': 'success' },
  success: {},
  cancelled: {},
};

export function transition(step: TxStep, event: FlowEvent): TxStep {
  const next = TRANSITIONS[step][event];
  if (!next) throw new Error(`no transition from ${step} on ${event}`);
  return next;
}

/** Forms offered per step, in the order clients see them: clients act on remediation.value[0]. */
export function offered(step: TxStep): Remediation<any>[] {
  switch (step) {
    case 'identify':
      return [identify];
    case 'challenge-password':
      return [challengePassword];
    default:
      return [];
  }
}

/** Steps whose transaction can no longer be used: any IDX call gets the session-expired answer. */
export const isFinished = (step: TxStep) => step === 'success' || step === 'cancelled';
