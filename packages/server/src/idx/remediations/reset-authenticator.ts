// `reset-authenticator` (spec §7.2): the new password, once the mailbox is proven. The policy's rules apply
// (and are listed in currentAuthenticator.settings); a failing password names the rules it broke. Setting it
// lifts a lockout, and with `revokeSessions` ends every IdP session and refresh token the user has.
import { z } from 'zod';
import { checkPasswordPolicy } from '../../identity/passwords.js';
import { resetPassword } from '../../identity/reset-password.js';
import { IdxError, passwordRequirementsNotMet, sessionExpiredError } from '../messages.js';
import type { Remediation } from '../remediation.js';

const input = z.object({ credentials: z.object({ passcode: z.string().min(1).max(1024), revokeSessions: z.boolean().optional() }) });

export const resetAuthenticator: Remediation<z.infer<typeof input>> = {
  name: 'reset-authenticator',
  path: '/idp/idx/challenge/answer',
  relatesTo: ['$.currentAuthenticator'],
  fields: () => [{
    name: 'credentials', type: 'object', required: true, form: { value: [
      { name: 'passcode', label: 'New password', secret: true },
      { name: 'revokeSessions', type: 'boolean', label: 'Sign me out of all other devices' },
    ] },
  }],
  input: () => input,
  async submit(tx, { credentials }, deps, ctx) {
    const user = tx.userId ? await deps.store.users.findById(tx.userId) : null;
    if (!user || user.status !== 'ACTIVE') throw sessionExpiredError();
    const problems = checkPasswordPolicy(credentials.passcode, user.login, (await deps.store.policies.get()).password);
    if (problems.length) throw new IdxError(400, [], { 'credentials.passcode': [passwordRequirementsNotMet(problems)] });
    await resetPassword(deps, user, credentials.passcode, { revokeSessions: credentials.revokeSessions === true, clientId: ctx.app.clientId, by: 'self' });
    return [{ kind: 'password-reset', userId: user.id, at: deps.now() }];
  },
};
