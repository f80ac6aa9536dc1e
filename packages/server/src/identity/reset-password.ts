// A new password for a user who proved who they are (recovery) or whom an administrator vouches for. Either
// way the lock is lifted, the user is told by mail, and sessions end when asked (always for an administrator:
// a reset is what one does when an account may be in someone else's hands).
import type { Deps } from '../deps.js';
import type { User } from '../store/interfaces.js';

export interface ResetOptions {
  revokeSessions: boolean;
  clientId?: string;
  by: 'self' | 'admin';
}

export async function resetPassword(deps: Pick<Deps, 'store' | 'passwords' | 'now' | 'mail' | 'log'>, user: User, password: string, o: ResetOptions): Promise<void> {
  const now = deps.now();
  await deps.store.users.setPasswordHash(user.id, await deps.passwords.hash(password), now);
  await deps.store.users.unlock(user.id, now);
  if (o.revokeSessions || o.by === 'admin') {
    await deps.store.sessions.revokeForUser(user.id, now);
    await deps.store.tokens.revokeGrantsForUser(user.id, now);
  }
  await deps.store.events.append({ type: 'user.password.reset', at: now, userId: user.id, clientId: o.clientId ?? null, detail: { by: o.by, revokeSessions: o.revokeSessions || o.by === 'admin' } });
  if (deps.mail.enabled) {
    deps.mail.send({ to: user.email, template: 'password-changed', locale: user.locale, params: { userName: user.firstName || user.login, email: user.email, appName: '', code: '', link: '', expiresMinutes: '' } })
      .catch((e: unknown) => deps.log.warn({ err: e, userId: user.id }, 'password-changed notice not sent'));
  }
}
