// gatehouse policy show|set: the org's lockout and password policy, stored in the database so every
// instance applies the same one.
import { parse, UsageError, wholeNumber } from './args.js';
import { openAdmin, printJson } from './context.js';

export async function policyCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'show' && sub !== 'set') throw new UsageError(sub ? `unknown policy command "${sub}"` : 'policy needs a command: show, set');
  const { values } = parse(rest, sub === 'show' ? { db: { type: 'string' } } : {
    db: { type: 'string' }, 'lockout-attempts': { type: 'string' }, 'lockout-minutes': { type: 'string' },
    'password-min-length': { type: 'string' }, 'password-exclude-username': { type: 'string' },
    'self-service-registration': { type: 'string' }, 'registration-email-verification': { type: 'string' }, 'self-service-unlock': { type: 'string' },
  });
  const { store } = await openAdmin(values.db, { readOnly: sub === 'show' });
  try {
    const p = await store.policies.get();
    if (sub === 'set') {
      const attempts = wholeNumber(values['lockout-attempts'], 'lockout-attempts', 1000);
      const minutes = wholeNumber(values['lockout-minutes'], 'lockout-minutes', 7 * 24 * 60);
      const minLength = wholeNumber(values['password-min-length'], 'password-min-length', 256);
      const exclude = values['password-exclude-username'];
      if (exclude !== undefined && exclude !== 'true' && exclude !== 'false') throw new UsageError('--password-exclude-username must be true or false');
      if (attempts !== undefined) p.lockout.maxAttempts = attempts;
      if (minutes !== undefined) p.lockout.durationSeconds = minutes * 60;
      if (minLength !== undefined) p.password.minLength = minLength;
      if (exclude !== undefined) p.password.excludeUsername = exclude === 'true';
      const onOff = (name: string) => {
        const v = values[name as keyof typeof values] as string | undefined;
        if (v !== undefined && v !== 'on' && v !== 'off') throw new UsageError(`--${name} must be on or off`);
        return v === undefined ? undefined : v === 'on';
      };
      const registration = onOff('self-service-registration');
      const verification = values['registration-email-verification'] as string | undefined;
      if (verification !== undefined && verification !== 'required' && verification !== 'off') throw new UsageError('--registration-email-verification must be required or off');
      const unlock = onOff('self-service-unlock');
      if (registration !== undefined || verification !== undefined) {
        p.registration = { enabled: registration ?? p.registration?.enabled ?? false, emailVerification: (verification ?? p.registration?.emailVerification ?? 'required') as 'required' | 'off' };
      }
      if (unlock !== undefined) p.selfServiceUnlock = unlock;
      await store.policies.set(p);
      await store.events.append({ type: 'policy.set', at: Date.now(), detail: { lockout: p.lockout, password: p.password, registration: p.registration, selfServiceUnlock: p.selfServiceUnlock } });
    }
    printJson(p);
  } finally {
    await store.close();
  }
  return 0;
}
