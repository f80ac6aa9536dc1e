// Issues an email code for the transaction and mails it. For a sign-in factor the user is already known to the
// client, so the send is awaited (bounded by mail/) and a failure is an error the user can retry. In recovery
// nothing may tell whether the identifier exists: the answer is the same, and as fast, with or without a
// user, so the mail goes out in the background and a failure is logged and audited (the user can send again).
import type { Deps } from '../deps.js';
import type { App, User } from '../store/interfaces.js';
import { issueCode } from '../identity/authenticators/email.js';
import type { Fact } from './remediation.js';
import type { Transaction } from './transaction.js';
import { IdxError, mailNotSent } from './messages.js';

const TEMPLATES = { LOGIN: 'email-challenge', CREDENTIAL_RECOVERY: 'password-recovery', ENROLL_NEW_USER: 'email-enroll', UNLOCK_ACCOUNT: 'account-unlock' } as const;

export async function sendEmailCode(deps: Deps, tx: Transaction, app: App, user: User | null): Promise<Fact> {
  const now = deps.now();
  const { code, challenge } = issueCode(now, tx.context.otp);
  const intent = tx.context.intent ?? 'LOGIN';
  // Before the user is known to the client (recovery, unlock, registration), nothing may tell whether the address
  // has an account: the send goes to the background, so every answer takes the same time.
  const recovery = intent !== 'LOGIN';
  const template = TEMPLATES[intent];
  if (user && (user.status === 'ACTIVE' || (intent === 'ENROLL_NEW_USER' && user.status === 'STAGED'))) {
    // The magic link carries the same code to the app's email-verify callback (spec §4.5), with the state the app
    // sent to /interact, so the app's own client can finish this transaction.
    const link = app.emailVerifyUri && tx.state ? withParams(app.emailVerifyUri, { state: tx.state, otp: code }) : '';
    const send = deps.mail.send({
      to: user.email, template, locale: user.locale,
      params: { code, link, userName: user.firstName || user.login, email: user.email, appName: app.name, expiresMinutes: '5' },
    }).then(
      () => deps.store.events.append({ type: 'email.sent', at: deps.now(), userId: user.id, clientId: app.clientId, detail: { purpose: template } }),
      async (e: unknown) => {
        deps.log.warn({ err: e, userId: user.id }, 'email not sent');
        await deps.store.events.append({ type: 'email.failed', at: deps.now(), userId: user.id, clientId: app.clientId, detail: { purpose: template } });
        throw new IdxError(503, [mailNotSent()]);
      },
    );
    if (recovery) send.catch(() => { /* logged and audited above */ });
    else await send;
  }
  return { kind: 'challenged', authenticator: 'okta_email', otp: challenge };
}

function withParams(uri: string, params: Record<string, string>): string {
  const u = new URL(uri);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  return u.href;
}
