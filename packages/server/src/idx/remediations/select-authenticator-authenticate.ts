// `select-authenticator-authenticate` (spec §3.1): the factors that can prove what the flow still needs. Today
// that is the email during recovery. Choosing it sends the code. The option's `id` is the authenticator's id;
// auth-js sends no methodType, so it defaults to the authenticator's one method.
import { z } from 'zod';
import { email } from '../../identity/authenticators/email.js';
import { spendAttempt } from '../../identity/rate-limit.js';
import { IdxError, stepNotAvailable } from '../messages.js';
import type { Remediation } from '../remediation.js';
import { sendEmailCode } from '../send-code.js';

const choice = z.object({ authenticator: z.object({ id: z.string().max(100), methodType: z.string().max(50).optional(), enrollmentId: z.string().max(100).optional() }) });

export const selectAuthenticatorAuthenticate: Remediation<z.infer<typeof choice>> = {
  name: 'select-authenticator-authenticate',
  path: '/idp/idx/challenge',
  fields: () => [{
    name: 'authenticator', type: 'object', options: [{
      label: email.displayName, relatesTo: '$.authenticatorEnrollments.value[0]',
      value: { form: { value: [{ name: 'id', required: true, value: email.id, mutable: false }, { name: 'methodType', required: false, value: 'email', mutable: false }] } },
    }],
  }],
  input: () => choice,
  async submit(tx, input, deps, ctx) {
    if (input.authenticator.id !== email.id || (input.authenticator.methodType ?? 'email') !== 'email') throw new IdxError(400, [stepNotAvailable()]);
    await spendAttempt(deps, 'email-send', ctx.ip, ctx.app.clientId);
    const user = tx.userId ? await deps.store.users.findById(tx.userId) : null;
    return [await sendEmailCode(deps, tx, ctx.app, user)];
  },
};
