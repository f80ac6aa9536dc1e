// `challenge-authenticator` (spec §4.2, §8.7): the answer to the factor being challenged — the password, or the
// code sent by email (typed, or carried by the magic link). A wrong code is counted twice: against the user's
// one lockout counter (factor-check.ts) and against the code itself, which dies after a few misses.
import { z } from 'zod';
import { checkPassword } from '../../identity/check-password.js';
import { checkFactor } from '../../identity/factor-check.js';
import { checkCode, email } from '../../identity/authenticators/email.js';
import { credentialsField } from '../fields.js';
import { authenticationFailed, codeExpired, codeInvalid, concurrentUpdate, IdxError } from '../messages.js';
import type { Remediation } from '../remediation.js';

const answer = z.object({ credentials: z.object({ passcode: z.string().min(1).max(1024) }) });

export const challengeAuthenticator: Remediation<{ credentials: { passcode: string } }> = {
  name: 'challenge-authenticator',
  path: '/idp/idx/challenge/answer',
  relatesTo: ['$.currentAuthenticatorEnrollment'],
  fields: (tx) => (tx.context.current === 'okta_email'
    ? [{ name: 'credentials', type: 'object', required: true, form: { value: [{ name: 'passcode', label: 'Enter code' }] } }]
    : [credentialsField()]),
  input: () => answer,
  async submit(tx, input, deps, ctx) {
    const user = tx.userId ? await deps.store.users.findById(tx.userId) : null;
    const from = { clientId: ctx.app.clientId, ip: ctx.ip };
    if (tx.context.current !== 'okta_email') {
      const verified = await checkPassword(deps, user, input.credentials.passcode, from);
      if (!verified) throw new IdxError(401, [authenticationFailed()]);
      return [{ kind: 'verified', authenticator: 'okta_password', userId: verified.id, at: deps.now() }];
    }
    const otp = tx.context.otp;
    const result = checkCode(otp, input.credentials.passcode, deps.now());
    const verified = await checkFactor(deps, {
      authenticator: email, user, ...from, verify: async () => result === 'ok',
      allowLocked: tx.context.intent === 'CREDENTIAL_RECOVERY',
    });
    if (verified) return [{ kind: 'verified', authenticator: 'okta_email', userId: verified.id, at: deps.now() }];
    if (result === 'wrong' && otp) {
      // The miss is the code's too, in its own write: the refusal below re-renders the unchanged transaction.
      const counted = { ...tx, context: { ...tx.context, otp: { ...otp, failures: otp.failures + 1 } } };
      if (!(await deps.store.transactions.update(counted, tx.version))) throw new IdxError(400, [concurrentUpdate()]);
    }
    const message = result === 'expired' || result === 'exhausted' ? codeExpired() : codeInvalid();
    throw new IdxError(401, [], { 'credentials.passcode': [message] });
  },
};
