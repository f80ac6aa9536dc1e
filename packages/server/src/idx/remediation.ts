// The shape every remediation module exports (STYLE §4). Adding an authenticator is a new module plus an
// entry in advance.ts; the HTTP layer does not change.
import type { IdxField } from '@gatehouse/protocol';
import type { z } from 'zod';
import type { Deps } from '../deps.js';
import type { App, Transaction } from '../store/interfaces.js';

export interface StepContext {
  app: App;
  /** Client IP (http/client-ip.ts), for the sign-in rate limit and audit events. */
  ip?: string;
}

export interface Remediation<Input = unknown> {
  /** Remediation name exactly as sent on the wire. */
  name: string;
  /** Path below the base URL that accepts this form. */
  path: string;
  /** The JSONPath the form relates to, when clients need it to pick an answer mapper (spec §7.5). */
  relatesTo?: string[];
  /** What the form shows in this state (the renderer appends the hidden stateHandle). */
  fields(tx: Transaction, ctx: StepContext): IdxField[];
  /** What the form accepts; unknown keys are dropped. */
  input(ctx: StepContext): z.ZodType<Input>;
  /** Returns the advanced transaction (not yet persisted) or throws IdxError. */
  submit(tx: Transaction, input: Input, deps: Deps, ctx: StepContext): Promise<Transaction>;
}
