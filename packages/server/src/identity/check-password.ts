// The one place a password is checked, for every path that checks one: verify (dummy hash for unknown
// users), count failures in their own committed write, lock at the policy's threshold, and refuse a locked
// or inactive user even when the password is right. Callers get the user or null, never a reason: the
// reason goes to the audit log only. Before any of that, the client IP spends one of its password checks
// (rate-limit.ts), which throws TooManyAttempts when none are left.
import type { Deps } from '../deps.js';
import type { User } from '../store/interfaces.js';
import { MAX_PASSWORD_LENGTH } from './passwords.js';
import { spendPasswordAttempt } from './rate-limit.js';

export async function checkPassword(deps: Deps, user: User | null, password: string, from: { clientId: string; ip?: string }): Promise<User | null> {
  const { clientId } = from;
  await spendPasswordAttempt(deps, from.ip, clientId);
  const ok = password.length <= MAX_PASSWORD_LENGTH && await deps.passwords.verify(user?.passwordHash ?? null, password);
  const now = deps.now();
  const fail = async (reason: string) => {
    await deps.store.events.append({ type: 'signin.failure', at: now, userId: user?.id ?? null, clientId, detail: { reason, ip: from.ip } });
    return null;
  };
  if (!user) return fail('unknown_user');
  if (!ok) {
    const policy = await deps.store.policies.get();
    const r = await deps.store.users.recordFailure(user.id, now, policy.lockout);
    if (r.justLocked) {
      await deps.store.events.append({ type: 'user.lockout', at: now, userId: user.id, clientId, detail: { failedAttempts: r.failedAttempts, lockedUntil: r.lockedUntil } });
    }
    return fail('wrong_password');
  }
  if (user.status !== 'ACTIVE') return fail(`status_${user.status.toLowerCase()}`);
  if (!(await deps.store.users.recordSuccess(user.id, now))) return fail('locked_out');
  await deps.store.events.append({ type: 'signin.success', at: now, userId: user.id, clientId, detail: { ip: from.ip } });
  return user;
}
