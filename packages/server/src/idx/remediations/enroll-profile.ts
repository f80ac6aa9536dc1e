// `enroll-profile` (spec §8.1): self-service registration. The form is the profile schema — email, first and last
// name, locale, and the custom attributes (`gatehouse profile-schema add`) — plus the new password under the
// policy's rules; every problem comes back at once as field messages, input kept. A new address makes a STAGED
// user that the mailed code activates; an address that already has an account gets the very same screens, its
// owner gets a mail saying someone tried, and nothing is created or changed. A STAGED registration can be
// started again (the same address replaces what it gave before).
import { z } from 'zod';
import { createUser, AdminError } from '../../identity/admin.js';
import { checkPasswordPolicy } from '../../identity/passwords.js';
import { spendAttempt } from '../../identity/rate-limit.js';
import { CONTROL } from '../../oauth/params.js';
import type { ProfileAttribute } from '../../store/interfaces.js';
import { fieldBlank, fieldInvalid, IdxError, msg, passwordRequirementsNotMet } from '../messages.js';
import type { Fact, Remediation, ViewContext } from '../remediation.js';
import { sendEmailCode } from '../send-code.js';
import type { IdxField, IdxMessage } from '@gatehouse/protocol';

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}$/;
const BASE: { name: string; label: string; required: boolean; maxLength: number }[] = [
  { name: 'email', label: 'Email', required: true, maxLength: 254 },
  { name: 'firstName', label: 'First name', required: true, maxLength: 50 },
  { name: 'lastName', label: 'Last name', required: true, maxLength: 50 },
];

function profileFields(schema: ProfileAttribute[]): IdxField[] {
  return [
    ...BASE.map((a) => ({ name: a.name, type: 'string' as const, label: a.label, required: a.required, ...(a.required ? { minLength: 1 } : {}), maxLength: a.maxLength })),
    ...schema.map((a) => ({
      name: a.name, type: 'string' as const, label: a.label, required: a.required, ...(a.required ? { minLength: 1 } : {}), maxLength: a.maxLength,
      ...(a.enum ? { options: a.enum.map((v) => ({ label: v, value: v })) } : {}),
    })),
  ];
}

const input = z.object({
  userProfile: z.record(z.string(), z.unknown()),
  credentials: z.object({ passcode: z.string().max(1024) }).optional(),
});

export const enrollProfile: Remediation<z.infer<typeof input>> = {
  name: 'enroll-profile',
  path: '/idp/idx/enroll/new',
  fields: (_tx, v: ViewContext) => [
    { name: 'userProfile', form: { value: profileFields(v.profileSchema ?? []) } },
    // The password on the sign-up page; relatesTo names the password authenticator whose settings list the rules.
    { name: 'credentials', type: 'object', required: true, relatesTo: '$.currentAuthenticator',
      form: { value: [{ name: 'passcode', label: 'Enter Password', required: true, secret: true }] } } as IdxField,
  ],
  input: () => input,
  async submit(tx, body, deps, ctx): Promise<Fact[]> {
    await spendAttempt(deps, 'registration', ctx.ip, ctx.app.clientId);
    const org = await deps.store.policies.get();
    if (!org.registration?.enabled) throw new IdxError(400, [msg('idx.error.step.not.available')]);
    const schema = await deps.store.profileSchema.list();
    const errors: Record<string, IdxMessage[]> = {};
    const values: Record<string, string> = {};
    for (const a of [...BASE.map((b) => ({ ...b, enum: null })), ...schema]) {
      const raw = body.userProfile[a.name];
      const v = typeof raw === 'string' ? raw.trim() : raw === undefined || raw === null ? '' : null;
      const path = `userProfile.${a.name}`;
      if (v === null || CONTROL.test(v) || v.length > a.maxLength) errors[path] = [fieldInvalid()];
      else if (!v) { if (a.required) errors[path] = [fieldBlank()]; }
      else if (a.enum && !a.enum.includes(v)) errors[path] = [fieldInvalid()];
      else if (a.name === 'email' && !EMAIL.test(v)) errors[path] = [msg('registration.error.invalidLoginEmail')];
      else values[a.name] = v;
    }
    const password = body.credentials?.passcode ?? '';
    if (!password) errors['credentials.passcode'] = [fieldBlank()];
    else {
      const problems = checkPasswordPolicy(password, values.email ?? '', org.password);
      if (problems.length) errors['credentials.passcode'] = [passwordRequirementsNotMet(problems)];
    }
    if (Object.keys(errors).length) throw new IdxError(400, [], errors);

    const verification = org.registration.emailVerification !== 'off';
    const email = values.email!;
    const custom = Object.fromEntries(schema.filter((a) => values[a.name] !== undefined).map((a) => [a.name, values[a.name]!]));
    const existing = await deps.store.users.findByLogin(email);
    const now = deps.now();
    let userId: string | null = null;
    if (existing && existing.status !== 'STAGED') {
      // No enumeration, no takeover: the same screens follow, only the owner hears of it, nothing changes.
      if (!verification) throw new IdxError(400, [], { 'userProfile.email': [msg('registration.error.notUniqueWithinOrg')] });
      deps.mail.send({ to: existing.email, template: 'signup-attempt', locale: existing.locale, params: { userName: existing.firstName || existing.login, email: existing.email, appName: ctx.app.name } })
        .catch((e: unknown) => deps.log.warn({ err: e, userId: existing.id }, 'sign-up attempt notice not sent'));
      await deps.store.events.append({ type: 'user.registration.duplicate', at: now, userId: existing.id, clientId: ctx.app.clientId, detail: { ip: ctx.ip } });
    } else if (existing) {
      await deps.store.users.updateProfile(existing.id, { login: existing.login, email: existing.email, firstName: values.firstName!, lastName: values.lastName!, locale: existing.locale }, now);
      await deps.store.users.setProfileValues(existing.id, custom, now);
      await deps.store.users.setPasswordHash(existing.id, await deps.passwords.hash(password), now);
      userId = existing.id;
    } else {
      try {
        const user = await createUser(deps.store, deps.passwords, { email, password, firstName: values.firstName, lastName: values.lastName, status: verification ? 'STAGED' : 'ACTIVE', profile: custom }, now);
        userId = user.id;
      } catch (e) {
        if (e instanceof AdminError) throw new IdxError(400, [], { 'userProfile.email': [fieldInvalid()] });
        throw e;
      }
      await deps.store.events.append({ type: 'user.registration.create', at: now, userId, clientId: ctx.app.clientId, detail: { verification } });
    }
    const registered: Fact = { kind: 'registered', userId, identifier: email, emailVerification: verification };
    if (!verification) return [registered, { kind: 'verified', authenticator: 'okta_password', userId: userId!, at: now }];
    const user = userId ? await deps.store.users.findById(userId) : null;
    const sent = await sendEmailCode(deps, { ...tx, context: { ...tx.context, intent: 'ENROLL_NEW_USER' } }, ctx.app, user);
    return [registered, sent];
  },
};
