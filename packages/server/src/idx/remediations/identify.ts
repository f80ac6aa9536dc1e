// `identify` (spec §8.1): the first form. Password-first apps collect the password here too; identifier-first
// apps move every identifier — known or not — to the password challenge, so the step reveals nothing.
import { z } from 'zod';
import { checkPassword } from '../../identity/check-password.js';
import { credentialsField } from '../fields.js';
import { authenticationFailed, IdxError } from '../messages.js';
import type { Remediation } from '../remediation.js';
import { CONTROL } from '../../oauth/params.js';

// Control characters have no place in a username, and a NUL cannot even be stored by PostgreSQL: a field error.
export const identifierSchema = z.string().trim().min(1).max(256).refine((v) => !CONTROL.test(v));
const passcode = z.string().min(1).max(1024);
// Built once: zod compiles schemas, which is too slow to repeat per request.
const withPassword = z.object({ identifier: identifierSchema, credentials: z.object({ passcode }), rememberMe: z.boolean().optional() });
const identifierOnly = z.object({ identifier: identifierSchema, credentials: z.object({ passcode }).optional(), rememberMe: z.boolean().optional() });

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
  async submit(_tx, input, deps, ctx) {
    const user = await deps.store.users.findByLogin(input.identifier);
    // Clients omit rememberMe when the box is unchecked.
    const identified = { kind: 'identified', identifier: input.identifier, userId: user?.id ?? null, rememberMe: input.rememberMe === true } as const;
    if (ctx.app.signIn === 'identifier-first') return [identified];
    const verified = await checkPassword(deps, user, input.credentials!.passcode, { clientId: ctx.app.clientId, ip: ctx.ip });
    if (!verified) throw new IdxError(401, [authenticationFailed()]);
    return [{ ...identified, userId: verified.id }, { kind: 'verified', authenticator: 'okta_password', userId: verified.id, at: deps.now() }];
  },
};
