// An administrator resets a user's password (`gatehouse user reset-password`): the user's sessions and refresh
// tokens end and the old password stops working at once (the account may be in someone else's hands), and a
// one-time recovery token (256 bits, stored hashed, an hour) lets the user choose a new one. The token goes to
// the app's email-verify callback as `recovery_token`; the app starts the widget with it, and v1/interact
// with that token opens the flow at the new password (idx/interact.ts).
import type { Mailer } from '../mail/mailer.js';
import { randomToken, sha256 } from '../random.js';
import type { App, Store, User } from '../store/interfaces.js';

export const RECOVERY_TOKEN_TTL_MS = 60 * 60_000;

export interface AdminReset {
  /** The token itself, returned only when no mail carried it (the operator hands it over). */
  recoveryToken?: string;
  expiresAt: number;
  mailed: boolean;
}

export async function startAdminReset(store: Store, mail: Mailer, user: User, app: App | null, now: number): Promise<AdminReset> {
  const token = randomToken(32);
  const expiresAt = now + RECOVERY_TOKEN_TTL_MS;
  await store.recoveryTokens.create({ tokenHash: sha256(token), userId: user.id, expiresAt, createdAt: now });
  const password = (await store.enrollments.listForUser(user.id)).find((e) => e.authenticator === 'okta_password');
  if (password) await store.enrollments.put({ ...password, status: 'PENDING' });
  await store.sessions.revokeForUser(user.id, now);
  await store.tokens.revokeGrantsForUser(user.id, now);
  await store.events.append({ type: 'user.password.reset_requested', at: now, userId: user.id, clientId: app?.clientId ?? null, detail: { by: 'admin' } });
  if (!mail.enabled || !app?.emailVerifyUri) return { recoveryToken: token, expiresAt, mailed: false };
  const link = new URL(app.emailVerifyUri);
  link.searchParams.set('recovery_token', token);
  await mail.send({
    to: user.email, template: 'password-recovery', locale: user.locale,
    params: { link: link.href, adminReset: true, userName: user.firstName || user.login, email: user.email, appName: app.name, expiresMinutes: 60 },
  });
  return { expiresAt, mailed: true };
}
