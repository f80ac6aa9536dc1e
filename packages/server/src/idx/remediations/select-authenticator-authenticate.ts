// `select-authenticator-authenticate` (spec §3.1): the factors that can prove what the flow still needs — the
// user's enrollments that fit the assurance, or the email during recovery (advance.ts puts them in
// `context.choices`). Choosing one starts its challenge: a mailed code, a TOTP prompt, a WebAuthn assertion. The
// option's `id` is the authenticator's; auth-js sends no methodType, so it defaults to the authenticator's one.
import { z } from 'zod';
import { authenticatorById } from '../../identity/authenticators/registry.js';
import { authenticatorChoiceField } from '../fields.js';
import { newChallenge } from '../../identity/authenticators/webauthn.js';
import { spendAttempt } from '../../identity/rate-limit.js';
import { fieldInvalid, IdxError } from '../messages.js';
import type { Fact, Remediation } from '../remediation.js';
import { sendEmailCode } from '../send-code.js';

const choice = z.object({ authenticator: z.object({ id: z.string().max(100), methodType: z.string().max(50).optional(), enrollmentId: z.string().max(100).optional() }) });

export const selectAuthenticatorAuthenticate: Remediation<z.infer<typeof choice>> = {
  name: 'select-authenticator-authenticate',
  path: '/idp/idx/challenge',
  fields: (tx) => [authenticatorChoiceField((tx.context.choices ?? []).map((c) => c.key), 'authenticatorEnrollments')],
  input: () => choice,
  async submit(tx, input, deps, ctx): Promise<Fact[]> {
    const a = authenticatorById(input.authenticator.id);
    const offered = a && tx.context.choices?.some((c) => c.key === a.key) && (input.authenticator.methodType ?? a.methods[0]) === a.methods[0];
    if (!a || !offered) throw new IdxError(400, [], { authenticator: [fieldInvalid()] });
    if (a.key === 'okta_email') {
      await spendAttempt(deps, 'email-send', ctx.ip, ctx.app.clientId);
      const user = tx.userId ? await deps.store.users.findById(tx.userId) : null;
      return [await sendEmailCode(deps, tx, ctx.app, user)];
    }
    if (a.key === 'webauthn') return [{ kind: 'challenged', authenticator: 'webauthn', webauthnChallenge: newChallenge() }];
    return [{ kind: 'challenged', authenticator: a.key }];
  },
};
