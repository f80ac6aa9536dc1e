// `enroll-authenticator` (spec §5.1, §6.1): the answer that proves the new factor works — the first TOTP code
// from the app the user just set up, or the WebAuthn attestation. It creates the enrollment and counts as that
// factor verified; a wrong code or a refused attestation enrolls nothing and says so.
import { z } from 'zod';
import { checkFactor } from '../../identity/factor-check.js';
import { matchStep, totp } from '../../identity/authenticators/totp.js';
import { verifyAttestation, webauthn } from '../../identity/authenticators/webauthn.js';
import { newId } from '../../random.js';
import { codeExpired, codeInvalid, IdxError, sessionExpiredError, webauthnFailed } from '../messages.js';
import { checkCode, email } from '../../identity/authenticators/email.js';
import type { Fact, Remediation } from '../remediation.js';
import { ceremonyFor } from '../webauthn-ceremony.js';

const input = z.object({
  credentials: z.object({
    passcode: z.string().max(20).optional(),
    clientData: z.string().max(10_000).optional(),
    attestation: z.string().max(20_000).optional(),
    transports: z.union([z.string().max(500), z.array(z.string().max(50)).max(10), z.null()]).optional(),
    clientExtensions: z.union([z.string().max(2000), z.null()]).optional(),
  }),
});

export const enrollAuthenticator: Remediation<z.infer<typeof input>> = {
  name: 'enroll-authenticator',
  path: '/idp/idx/challenge/answer',
  relatesTo: ['$.currentAuthenticator'],
  fields: (tx) => (tx.context.enrolling?.key === 'webauthn'
    ? [{ name: 'credentials', type: 'object', required: true, form: { value: ['clientData', 'attestation', 'transports', 'clientExtensions'].map((name) => ({ name, label: name, visible: false, required: name === 'clientData' || name === 'attestation', hint: 'webauthn' })) } }]
    : [{ name: 'credentials', type: 'object', required: true, form: { value: [{ name: 'passcode', label: 'Enter code', required: true }] } }]),
  input: () => input,
  async submit(tx, { credentials }, deps, ctx): Promise<Fact[]> {
    const user = tx.userId ? await deps.store.users.findById(tx.userId) : null;
    const enrolling = tx.context.enrolling;
    // A registration for an address that already had an account has no user: its code can never match.
    if (!user && enrolling?.key === 'okta_email') throw new IdxError(400, [], { 'credentials.passcode': [codeInvalid()] });
    if (!user || !enrolling) throw sessionExpiredError();
    const now = deps.now();
    if (enrolling.key === 'okta_email') {
      // Registration: the mailed code proves the address and activates the STAGED user.
      const result = checkCode(tx.context.otp, credentials.passcode ?? '', now);
      const ok = await checkFactor(deps, { authenticator: email, user, clientId: ctx.app.clientId, ip: ctx.ip, allowStaged: true, verify: async () => result === 'ok' });
      if (!ok) {
        const otp = tx.context.otp;
        if (result === 'wrong' && otp) await deps.store.transactions.update({ ...tx, context: { ...tx.context, otp: { ...otp, failures: otp.failures + 1 } } }, tx.version);
        throw new IdxError(400, [], { 'credentials.passcode': [result === 'expired' || result === 'exhausted' ? codeExpired() : codeInvalid()] });
      }
      if (user.status === 'STAGED') await deps.store.users.setStatus(user.id, 'ACTIVE', now);
      await deps.store.events.append({ type: 'user.registration.verified', at: now, userId: user.id, clientId: ctx.app.clientId });
      return [{ kind: 'enrolled', authenticator: 'okta_email' }, { kind: 'verified', authenticator: 'okta_email', userId: user.id, at: now }];
    }
    if (enrolling.key === 'google_otp') {
      const secret = await deps.vault.open(enrolling.sealedSecret!);
      const step = credentials.passcode ? matchStep(secret, credentials.passcode, now) : null;
      const ok = await checkFactor(deps, { authenticator: totp, user, clientId: ctx.app.clientId, ip: ctx.ip, verify: async () => step !== null });
      if (!ok) throw new IdxError(400, [], { 'credentials.passcode': [codeInvalid()] });
      await deps.store.enrollments.put({ id: newId('uft'), userId: user.id, authenticator: 'google_otp', status: 'ACTIVE', config: { secret: enrolling.sealedSecret, name: totp.displayName }, counter: step!, createdAt: now, lastUsedAt: now });
      await deps.store.events.append({ type: 'factor.enroll', at: now, userId: user.id, clientId: ctx.app.clientId, detail: { authenticator: 'google_otp' } });
      return [{ kind: 'enrolled', authenticator: 'google_otp' }, { kind: 'verified', authenticator: 'google_otp', userId: user.id, at: now }];
    }
    const ceremony = await ceremonyFor(deps);
    const existing = (await deps.store.enrollments.listForUser(user.id)).filter((e) => e.authenticator === 'webauthn');
    const made = credentials.clientData && credentials.attestation
      ? await verifyAttestation(ceremony, enrolling.challenge!, { clientData: credentials.clientData, attestation: credentials.attestation, transports: credentials.transports }, `Security key ${existing.length + 1}`)
      : null;
    const ok = await checkFactor(deps, { authenticator: webauthn, user, clientId: ctx.app.clientId, ip: ctx.ip, verify: async () => made !== null });
    if (!ok || !made) throw new IdxError(400, [webauthnFailed()]);
    if (existing.some((e) => (e.config as { credentialId?: string }).credentialId === made.config.credentialId)) throw new IdxError(400, [webauthnFailed()]);
    await deps.store.enrollments.put({ id: newId('fwf'), userId: user.id, authenticator: 'webauthn', status: 'ACTIVE', config: { ...made.config }, counter: made.counter, createdAt: now, lastUsedAt: now });
    await deps.store.events.append({ type: 'factor.enroll', at: now, userId: user.id, clientId: ctx.app.clientId, detail: { authenticator: 'webauthn' } });
    return [{ kind: 'enrolled', authenticator: 'webauthn' }, { kind: 'verified', authenticator: 'webauthn', userId: user.id, at: now }];
  },
};
