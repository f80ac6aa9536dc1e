// The stateHandle-only actions hung on authenticator objects (spec §2.4): `recover` starts password recovery
// (the widget's "Forgot password?"), `resend` mails a new code (the old one dies), `poll` answers the current
// state so a tab waiting on a magic link used elsewhere moves on.
import { MAX_SENDS } from '../../identity/authenticators/email.js';
import { spendAttempt, TooManyAttempts } from '../../identity/rate-limit.js';
import type { Action } from '../remediation.js';
import { sendEmailCode } from '../send-code.js';

export const recover: Action = {
  name: 'recover',
  path: '/idp/idx/recover',
  async submit() {
    return [{ kind: 'recovery-requested' }];
  },
};

export const resend: Action = {
  name: 'resend',
  path: '/idp/idx/challenge/resend',
  async submit(tx, deps, ctx) {
    if ((tx.context.otp?.sends ?? 0) >= MAX_SENDS) throw new TooManyAttempts(60);
    await spendAttempt(deps, 'email-send', ctx.ip, ctx.app.clientId);
    const user = tx.userId ? await deps.store.users.findById(tx.userId) : null;
    return [await sendEmailCode(deps, tx, ctx.app, user)];
  },
};

export const poll: Action = {
  name: 'poll',
  path: '/idp/idx/challenge/poll',
  async submit(_tx, deps, ctx) {
    await spendAttempt(deps, 'poll', ctx.ip, ctx.app.clientId);
    return [];
  },
};
