// The one place a factor is checked, for every authenticator and every path (sign-in, recovery): the client
// address spends one attempt (rate-limit.ts, before any work), the factor verifies, a failure is counted on
// the user's one lockout counter in its own committed write, a locked or inactive user is refused even with
// the right answer, and each outcome is an audit event. Callers get the user or null, never a reason.
import type { Deps } from '../deps.js';
import type { User } from '../store/interfaces.js';
import type { Authenticator } from './authenticators/authenticator.js';
import { spendAttempt } from './rate-limit.js';

export interface FactorAttempt {
  authenticator: Authenticator;
  user: User | null;
  /** Runs the factor's own check; for an unknown user it must cost the same (a dummy hash, a dead code). */
  verify(): Promise<boolean>;
  clientId: string;
  ip?: string;
  /**
   * Recovery proves the mailbox to replace a forgotten password, which is how a locked-out user gets back in:
   * a lock does not refuse it (the new password then lifts the lock).
   */
  allowLocked?: boolean;
  /** Registration: the code that verifies the address is what activates a STAGED user. */
  allowStaged?: boolean;
}

// Password events keep the names they always had; other factors report as factor.* with their key.
const eventType = (a: Authenticator, outcome: 'success' | 'failure') => (a.key === 'okta_password' ? `signin.${outcome}` : `factor.${outcome}`);
const wrongAnswer = (a: Authenticator) => (a.key === 'okta_password' ? 'wrong_password' : 'wrong_code');

export async function checkFactor(deps: Deps, attempt: FactorAttempt): Promise<User | null> {
  const { authenticator: a, user, clientId, ip } = attempt;
  await spendAttempt(deps, a.key === 'okta_password' ? 'password' : a.key, ip, clientId);
  const ok = await attempt.verify();
  const now = deps.now();
  const detail = (extra: Record<string, unknown>) => (a.key === 'okta_password' ? { ...extra, ip } : { ...extra, ip, authenticator: a.key });
  const fail = async (reason: string) => {
    await deps.store.events.append({ type: eventType(a, 'failure'), at: now, userId: user?.id ?? null, clientId, detail: detail({ reason }) });
    return null;
  };
  if (!user) return fail('unknown_user');
  if (!ok) {
    const policy = await deps.store.policies.get();
    const r = await deps.store.users.recordFailure(user.id, now, policy.lockout);
    if (r.justLocked) {
      await deps.store.events.append({ type: 'user.lockout', at: now, userId: user.id, clientId, detail: { failedAttempts: r.failedAttempts, lockedUntil: r.lockedUntil } });
    }
    return fail(wrongAnswer(a));
  }
  if (user.status !== 'ACTIVE' && !(attempt.allowStaged && user.status === 'STAGED')) return fail(`status_${user.status.toLowerCase()}`);
  if (!attempt.allowLocked && !(await deps.store.users.recordSuccess(user.id, now))) return fail('locked_out');
  await deps.store.events.append({ type: eventType(a, 'success'), at: now, userId: user.id, clientId, detail: detail({}) });
  return user;
}
