// `select-authenticator-enroll` (spec §3.2): the assurance needs a factor the user has not enrolled, so the flow
// offers the org's active authenticators that fit (no `skip` while it is required). Choosing one starts its
// enrollment: a new TOTP secret (sealed at once), or a WebAuthn registration challenge.
import { z } from 'zod';
import { authenticatorById } from '../../identity/authenticators/registry.js';
import { authenticatorChoiceField } from '../fields.js';
import { newSecret } from '../../identity/authenticators/totp.js';
import { newChallenge } from '../../identity/authenticators/webauthn.js';
import { fieldInvalid, IdxError } from '../messages.js';
import type { Fact, Remediation } from '../remediation.js';

const choice = z.object({ authenticator: z.object({ id: z.string().max(100), methodType: z.string().max(50).optional() }) });

export const selectAuthenticatorEnroll: Remediation<z.infer<typeof choice>> = {
  name: 'select-authenticator-enroll',
  path: '/idp/idx/credential/enroll',
  fields: (tx) => [authenticatorChoiceField((tx.context.choices ?? []).map((c) => c.key), 'authenticators')],
  input: () => choice,
  async submit(tx, input, deps): Promise<Fact[]> {
    const a = authenticatorById(input.authenticator.id);
    if (!a || !tx.context.choices?.some((c) => c.key === a.key)) throw new IdxError(400, [], { authenticator: [fieldInvalid()] });
    if (a.key === 'google_otp') return [{ kind: 'enrolling', enrolling: { key: 'google_otp', sealedSecret: await deps.vault.seal(newSecret()) } }];
    if (a.key === 'webauthn') return [{ kind: 'enrolling', enrolling: { key: 'webauthn', challenge: newChallenge() } }];
    throw new IdxError(400, [], { authenticator: [fieldInvalid()] });
  },
};
