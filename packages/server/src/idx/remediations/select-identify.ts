// `select-identify` (spec §8.1, §8.2): "Back to sign in" from the recovery steps. A form with only the
// stateHandle; the flow starts over at identify.
import { z } from 'zod';
import type { Remediation } from '../remediation.js';

const empty = z.object({});

export const selectIdentify: Remediation<Record<string, never>> = {
  name: 'select-identify',
  path: '/idp/idx/identify/select',
  fields: () => [],
  input: () => empty as z.ZodType<Record<string, never>>,
  async submit() {
    return [{ kind: 'sign-in-requested' }];
  },
};
