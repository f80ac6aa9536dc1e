// The identify page's ways out to self-service (spec §8.1, §8.3): `select-enroll-profile` ("Sign up") and
// `unlock-account` ("Unlock account?"). Each is a form with only the stateHandle, offered when the org turned
// the feature on (gatehouse policy set), and re-checked against the stored policy when posted.
import { z } from 'zod';
import { IdxError, stepNotAvailable } from '../messages.js';
import type { Remediation } from '../remediation.js';

const empty = z.object({}) as z.ZodType<Record<string, never>>;

export const selectEnrollProfile: Remediation<Record<string, never>> = {
  name: 'select-enroll-profile',
  path: '/idp/idx/enroll',
  fields: () => [],
  input: () => empty,
  async submit(_tx, _input, deps) {
    if (!(await deps.store.policies.get()).registration?.enabled) throw new IdxError(400, [stepNotAvailable()]);
    return [{ kind: 'registration-requested' }];
  },
};

export const unlockAccount: Remediation<Record<string, never>> = {
  name: 'unlock-account',
  path: '/idp/idx/unlock-account',
  fields: () => [],
  input: () => empty,
  async submit(_tx, _input, deps) {
    if (!(await deps.store.policies.get()).selfServiceUnlock) throw new IdxError(400, [stepNotAvailable()]);
    return [{ kind: 'unlock-requested' }];
  },
};
