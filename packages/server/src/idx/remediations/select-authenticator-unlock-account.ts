// `select-authenticator-unlock-account` (spec §8.3): who is locked out, and how they prove it (the email). The
// code goes only to a user who exists and is locked out; anyone else gets the same screens and a code that
// cannot match, so nothing tells them apart. The verified code lifts the lock (challenge-authenticator).
import { z } from 'zod';
import { email } from '../../identity/authenticators/email.js';
import { spendAttempt } from '../../identity/rate-limit.js';
import { fieldInvalid, IdxError } from '../messages.js';
import type { Fact, Remediation } from '../remediation.js';
import { sendEmailCode } from '../send-code.js';
import { identifierSchema } from './identify.js';
import { authenticatorChoiceField } from '../fields.js';

const input = z.object({ identifier: identifierSchema, authenticator: z.object({ id: z.string().max(100), methodType: z.string().max(50).optional() }) });

export const selectAuthenticatorUnlockAccount: Remediation<z.infer<typeof input>> = {
  name: 'select-authenticator-unlock-account',
  path: '/idp/idx/challenge',
  fields: () => [
    { name: 'identifier', label: 'Username', required: true },
    authenticatorChoiceField(['okta_email'], 'authenticatorEnrollments'),
  ],
  input: () => input,
  async submit(tx, body, deps, ctx): Promise<Fact[]> {
    if (body.authenticator.id !== email.id || (body.authenticator.methodType ?? 'email') !== 'email') throw new IdxError(400, [], { authenticator: [fieldInvalid()] });
    await spendAttempt(deps, 'unlock', ctx.ip, ctx.app.clientId);
    const found = await deps.store.users.findByLogin(body.identifier);
    const locked = found && found.status === 'ACTIVE' && found.lockedUntil !== null && found.lockedUntil > deps.now() ? found : null;
    const identified: Fact = { kind: 'identified', identifier: body.identifier, userId: locked?.id ?? null };
    return [identified, await sendEmailCode(deps, { ...tx, context: { ...tx.context, intent: 'UNLOCK_ACCOUNT' } }, ctx.app, locked)];
  },
};
