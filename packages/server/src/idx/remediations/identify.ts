// `identify` (spec §8.1): the first form. Password-first apps collect the password here too; identifier-first
// apps move every identifier — known or not — to the password challenge, so the step reveals nothing.
import { z } from 'zod';
import { checkPassword } from '../../identity/check-password.js';
import { credentialsField, } from '../fields.js';
import { authenticationFailed, IdxError } from '../messages.js';
import { transition } from '../advance.js';
import type { Remediation } from '../remediation.js';
import { CONTROL } from '../../oauth/params.js';

// Control characters have no place in a username, and a NUL cannot even be stored by PostgreSQL: a field error.
const identifier = z.string().trim().min(1).max(256).refine((v) => !CONTROL.test(v));
const passcode = z.string().min(1).max(1024);
// Built once: zod compiles schemas, which is too slow to repeat per request.
const withPassword = z.object({ identifier, credentials: z.object({ passcode }), rememberMe: z.boolean().optional() });
const identifierOnly = z.object({ identifier, credentials: z.object({ passcode }).optional(), rememberMe: z.boolean().optional() });

export const identify: Remediation<{ identifier: string; credentials?: { passcode: string }; rememberMe?: boolean }> = {
  name: 'identify',
  path: '/idp/idx/identify',
  fields(tx, { app }) {
    return [
      { name: 'identifier', label: 'Username', required: true, ...(tx.loginHint ? { value: tx.loginHint } : {}) },
      ...(app.signIn === 'password-first' ? [credentialsField()] : []),
      { name: 'rememberMe', type: 'boolean', label: 'Keep me signed in' },
    ];
  },
  input: ({ app }) => (app.signIn === 'password-first' ? withPassword : identifierOnly),
  async submit(tx, input, deps, ctx) {
    const user = await deps.store.users.findByLogin(input.identifier);
    const rememberMe = input.rememberMe === true; // clients omit the field when the box is unchecked
    if (ctx.app.signIn === 'identifier-first') {
      return { ...tx, identifier: input.identifier, userId: user?.id ?? null, rememberMe, step: transition(tx.step, 'identified') };
    }
    const verified = await checkPassword(deps, user, input.credentials!.passcode, { clientId: ctx.app.clientId, ip: ctx.ip });
    if (!verified) throw new IdxError(401, [authenticationFailed()]);
    return {
      ...tx, identifier: input.identifier, userId: verified.id, amr: ['pwd'], authTime: deps.now(), rememberMe,
      step: transition(tx.step, 'password-verified'),
    };
  },
};
