// `challenge-authenticator` for the password (spec §8.7), after an identifier-first `identify`. It relates to
// the password enrollment so clients pick the password answer mapper from `key: okta_password`.
import { z } from 'zod';
import { checkPassword } from '../../identity/check-password.js';
import { credentialsField } from '../fields.js';
import { authenticationFailed, IdxError } from '../messages.js';
import { transition } from '../advance.js';
import type { Remediation } from '../remediation.js';

const answer = z.object({ credentials: z.object({ passcode: z.string().min(1).max(1024) }) });

export const challengePassword: Remediation<{ credentials: { passcode: string } }> = {
  name: 'challenge-authenticator',
  path: '/idp/idx/challenge/answer',
  relatesTo: ['$.currentAuthenticatorEnrollment'],
  fields: () => [credentialsField()],
  input: () => answer,
  async submit(tx, input, deps, ctx) {
    const user = tx.userId ? await deps.store.users.findById(tx.userId) : null;
    const verified = await checkPassword(deps, user, input.credentials.passcode, { clientId: ctx.app.clientId, ip: ctx.ip });
    if (!verified) throw new IdxError(401, [authenticationFailed()]);
    return { ...tx, amr: ['pwd'], authTime: deps.now(), step: transition(tx.step, 'password-verified') };
  },
};
