// `challenge-authenticator` (spec §4.2, §5.2, §6.3, §8.7): the answer to the factor being challenged — the
// password, a code sent by email (typed, or carried by the magic link), a TOTP code, or a WebAuthn assertion.
// Every answer goes through the one factor-check path (rate limit, the user's lockout counter, audit). A wrong
// email code is also counted on the code, which dies after a few misses; a TOTP code or an assertion counts
// once (the enrollment's counter only goes up, in one conditional update).
import { z } from 'zod';
import { checkPassword } from '../../identity/check-password.js';
import { checkFactor } from '../../identity/factor-check.js';
import { checkCode, email } from '../../identity/authenticators/email.js';
import { matchStep, totp } from '../../identity/authenticators/totp.js';
import { verifyAssertion, webauthn } from '../../identity/authenticators/webauthn.js';
import { credentialsField } from '../fields.js';
import { authenticationFailed, codeExpired, codeInvalid, codeUsed, concurrentUpdate, IdxError, totpInvalid, webauthnFailed } from '../messages.js';
import type { Fact, Remediation } from '../remediation.js';
import { ceremonyFor } from '../webauthn-ceremony.js';

const answer = z.object({
  credentials: z.object({
    passcode: z.string().min(1).max(1024).optional(),
    clientData: z.string().max(10_000).optional(),
    authenticatorData: z.string().max(10_000).optional(),
    signatureData: z.string().max(10_000).optional(),
    userHandle: z.union([z.string().max(1000), z.null()]).optional(),
  }),
}).refine((b) => b.credentials.passcode !== undefined || b.credentials.clientData !== undefined, { path: ['credentials', 'passcode'] });
type Answer = z.infer<typeof answer>;

const codeField = { name: 'credentials', type: 'object' as const, required: true, form: { value: [{ name: 'passcode', label: 'Enter code' }] } };

export const challengeAuthenticator: Remediation<Answer> = {
  name: 'challenge-authenticator',
  path: '/idp/idx/challenge/answer',
  relatesTo: ['$.currentAuthenticatorEnrollment'],
  fields: (tx) => {
    const key = tx.context.current;
    if (key === 'okta_email' || key === 'google_otp') return [codeField];
    if (key === 'webauthn') {
      return [{ name: 'credentials', type: 'object', required: true, form: { value: ['clientData', 'authenticatorData', 'signatureData'].map((name) => ({ name, label: name, required: true, visible: false })) } }];
    }
    return [credentialsField()];
  },
  input: () => answer,
  async submit(tx, { credentials }, deps, ctx): Promise<Fact[]> {
    const user = tx.userId ? await deps.store.users.findById(tx.userId) : null;
    const from = { clientId: ctx.app.clientId, ip: ctx.ip };
    const now = deps.now();
    const key = tx.context.current;
    const passcode = credentials.passcode ?? '';
    if (key === 'google_otp') {
      let replayed = false;
      const verified = await checkFactor(deps, {
        authenticator: totp, user, ...from,
        async verify() {
          for (const e of user ? (await deps.store.enrollments.listForUser(user.id)).filter((x) => x.authenticator === 'google_otp' && x.status === 'ACTIVE') : []) {
            const step = matchStep(await deps.vault.open(String(e.config.secret)), passcode, now);
            if (step === null) continue;
            if (await deps.store.enrollments.advanceCounter(e.id, step, now)) return true;
            replayed = true;
          }
          return false;
        },
      });
      if (verified) return [{ kind: 'verified', authenticator: 'google_otp', userId: verified.id, at: now }];
      throw new IdxError(401, [], { 'credentials.passcode': [replayed ? codeUsed() : totpInvalid()] });
    }
    if (key === 'webauthn') {
      let found: Awaited<ReturnType<typeof verifyAssertion>> = null;
      const verified = await checkFactor(deps, {
        authenticator: webauthn, user, ...from,
        async verify() {
          if (!user || !credentials.clientData || !credentials.authenticatorData || !credentials.signatureData || !tx.context.webauthnChallenge) return false;
          const mine = (await deps.store.enrollments.listForUser(user.id)).filter((x) => x.authenticator === 'webauthn' && x.status === 'ACTIVE');
          found = await verifyAssertion(await ceremonyFor(deps), tx.context.webauthnChallenge, {
            clientData: credentials.clientData, authenticatorData: credentials.authenticatorData, signatureData: credentials.signatureData, userHandle: credentials.userHandle,
          }, mine);
          return found !== null && deps.store.enrollments.advanceCounter(found.enrollment.id, found.counter, now);
        },
      });
      if (verified) return [{ kind: 'verified', authenticator: 'webauthn', userId: verified.id, at: now }];
      throw new IdxError(401, [webauthnFailed()]);
    }
    if (key !== 'okta_email') {
      const verified = await checkPassword(deps, user, passcode, from);
      if (!verified) throw new IdxError(401, [authenticationFailed()]);
      return [{ kind: 'verified', authenticator: 'okta_password', userId: verified.id, at: now }];
    }
    const otp = tx.context.otp;
    const result = checkCode(otp, passcode, now);
    const verified = await checkFactor(deps, {
      authenticator: email, user, ...from, verify: async () => result === 'ok',
      allowLocked: tx.context.intent === 'CREDENTIAL_RECOVERY' || tx.context.intent === 'UNLOCK_ACCOUNT',
    });
    if (verified && tx.context.intent === 'UNLOCK_ACCOUNT') {
      // Self-service unlock: the mailbox proves it, the lock and the failure counter go.
      await deps.store.users.unlock(verified.id, now);
      await deps.store.events.append({ type: 'user.account.unlock_by_self', at: now, userId: verified.id, clientId: ctx.app.clientId, detail: { ip: ctx.ip } });
      return [{ kind: 'verified', authenticator: 'okta_email', userId: verified.id, at: now }, { kind: 'unlocked' }];
    }
    if (verified) return [{ kind: 'verified', authenticator: 'okta_email', userId: verified.id, at: now }];
    if (result === 'wrong' && otp) {
      // The miss is the code's too, in its own write: the refusal below re-renders the unchanged transaction.
      const counted = { ...tx, context: { ...tx.context, otp: { ...otp, failures: otp.failures + 1 } } };
      if (!(await deps.store.transactions.update(counted, tx.version))) throw new IdxError(400, [concurrentUpdate()]);
    }
    const message = result === 'expired' || result === 'exhausted' ? codeExpired() : codeInvalid();
    throw new IdxError(401, [], { 'credentials.passcode': [message] });
  },
};
