// `challenge-webauthn-autofillui-authenticator`: passkey sign-in from the identify page. The widget starts a
// conditional-mediation WebAuthn request with this challenge (`autocomplete="username webauthn"`), so the browser
// offers the user's passkeys in the username field; the assertion names its user through userHandle, and
// verifying it is the whole sign-in where one factor is enough. The challenge is derived from the transaction
// (an HMAC under the vault), so it needs no storage and is good for this transaction only.
import { createHmac } from 'node:crypto';
import { z } from 'zod';
import type { KeyVault } from '../../keys/key-vault.js';
import { checkFactor } from '../../identity/factor-check.js';
import { userIdFromHandle, verifyAssertion, webauthn } from '../../identity/authenticators/webauthn.js';
import { IdxError, webauthnFailed } from '../messages.js';
import type { Fact, Remediation } from '../remediation.js';
import type { Transaction } from '../transaction.js';
import { ceremonyFor } from '../webauthn-ceremony.js';

export const autofillChallenge = (vault: KeyVault, tx: Transaction) =>
  createHmac('sha256', vault.subkey('passkey-autofill-challenge')).update(tx.id).digest('base64url');

const input = z.object({
  credentials: z.object({
    clientData: z.string().min(1).max(10_000),
    authenticatorData: z.string().min(1).max(10_000),
    signatureData: z.string().min(1).max(10_000),
    userHandle: z.string().min(1).max(1000),
  }),
});

export const challengeWebauthnAutofill: Remediation<z.infer<typeof input>> = {
  name: 'challenge-webauthn-autofillui-authenticator',
  // Its own path: on the identify page nothing else answers a challenge, so a stray answer stays "not offered".
  path: '/idp/idx/challenge/autofill',
  relatesTo: ['$.webauthnAutofillUIChallenge'],
  fields: () => [{
    name: 'credentials', type: 'object', required: true,
    form: { value: ['clientData', 'authenticatorData', 'signatureData', 'userHandle'].map((name) => ({ name, label: name, required: true, visible: false })) },
  }],
  input: () => input,
  async submit(tx, { credentials }, deps, ctx): Promise<Fact[]> {
    let userId: string | null = null;
    try { userId = userIdFromHandle(credentials.userHandle); } catch { /* not a handle of ours */ }
    const user = userId && userId.length <= 64 ? await deps.store.users.findById(userId) : null;
    const now = deps.now();
    const verified = await checkFactor(deps, {
      authenticator: webauthn, user, clientId: ctx.app.clientId, ip: ctx.ip,
      async verify() {
        if (!user) return false;
        const mine = (await deps.store.enrollments.listForUser(user.id)).filter((e) => e.authenticator === 'webauthn' && e.status === 'ACTIVE');
        const found = await verifyAssertion(await ceremonyFor(deps), autofillChallenge(deps.vault, tx), credentials, mine);
        return found !== null && deps.store.enrollments.advanceCounter(found.enrollment.id, found.counter, now);
      },
    });
    if (!verified) throw new IdxError(401, [webauthnFailed()]);
    return [{ kind: 'identified', identifier: verified.login, userId: verified.id }, { kind: 'verified', authenticator: 'webauthn', userId: verified.id, at: now }];
  },
};
