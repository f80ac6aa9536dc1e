// gatehouse authenticator list|enable|disable: the org's authenticators (Okta's Security > Authenticators). A
// disabled one is neither offered nor accepted at sign-in; apps whose assurance needs it can then not be signed
// in to by users who have nothing else, which is the operator's call to make.
import { AUTHENTICATORS } from '../identity/authenticators/registry.js';
import type { AuthenticatorKey } from '../store/interfaces.js';
import { parse, required, UsageError } from './args.js';
import { openAdmin, printJson } from './context.js';

const KEYS = Object.keys(AUTHENTICATORS) as AuthenticatorKey[];

export async function authenticatorCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'list' && sub !== 'enable' && sub !== 'disable') throw new UsageError(sub ? `unknown authenticator command "${sub}"` : 'authenticator needs a command: list, enable, disable');
  const { values } = parse(rest, sub === 'list' ? { db: { type: 'string' } } : { db: { type: 'string' }, key: { type: 'string' } });
  let key: AuthenticatorKey | undefined;
  if (sub !== 'list') {
    key = required(values, 'key') as AuthenticatorKey;
    if (!KEYS.includes(key)) throw new UsageError(`--key must be one of ${KEYS.join(', ')}, not "${key}"`);
    if (key === 'okta_password' && sub === 'disable') throw new UsageError('the password authenticator cannot be disabled: it is how users first sign in and recover');
  }
  const { store } = await openAdmin(values.db, { readOnly: sub === 'list' });
  try {
    const policy = await store.policies.get();
    if (key) {
      policy.authenticators = { ...policy.authenticators, [key]: sub === 'enable' ? 'ACTIVE' : 'INACTIVE' };
      await store.policies.set(policy);
      await store.events.append({ type: `authenticator.${sub}`, at: Date.now(), detail: { key } });
    }
    printJson(KEYS.map((k) => ({ key: k, name: AUTHENTICATORS[k]!.displayName, status: policy.authenticators?.[k] ?? 'ACTIVE' })));
  } finally {
    await store.close();
  }
  return 0;
}
