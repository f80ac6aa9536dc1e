// `identify-recovery` (spec §8.2): who forgot their password. Known or not, the identifier moves the flow to
// the same email choice; nothing here or after tells the two apart (send-code.ts).
import { z } from 'zod';
import type { Remediation } from '../remediation.js';
import { identifierSchema } from './identify.js';

const input = z.object({ identifier: identifierSchema });

export const identifyRecovery: Remediation<{ identifier: string }> = {
  name: 'identify-recovery',
  path: '/idp/idx/identify',
  fields: (tx) => [{ name: 'identifier', label: 'Username', required: true, ...(tx.loginHint ? { value: tx.loginHint } : {}) }],
  input: () => input,
  async submit(_tx, { identifier }, deps) {
    const user = await deps.store.users.findByLogin(identifier);
    return [{ kind: 'identified', identifier, userId: user?.id ?? null }];
  },
};
