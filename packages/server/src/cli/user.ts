import { AdminError, createUser, setUserPassword } from '../identity/admin.js';
import { startAdminReset } from '../identity/admin-reset.js';
import { createMailer } from '../mail/mailer.js';
import { createLogger } from '../log.js';
import type { User } from '../store/interfaces.js';
import { parse, required, UsageError } from './args.js';
import { openAdmin, printJson } from './context.js';

const show = (u: User, now: number) => ({
  id: u.id, login: u.login, email: u.email, firstName: u.firstName, lastName: u.lastName,
  status: u.lockedUntil && u.lockedUntil > now && u.status === 'ACTIVE' ? 'LOCKED_OUT' : u.status, created: new Date(u.createdAt).toISOString(),
});

export async function userCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const common = { db: { type: 'string' } } as const;
  switch (sub) {
    case 'create': {
      const { values } = parse(rest, { ...common, email: { type: 'string' }, password: { type: 'string' }, 'first-name': { type: 'string' }, 'last-name': { type: 'string' }, login: { type: 'string' } });
      const email = required(values, 'email');
      const password = required(values, 'password');
      const { store, passwords } = await openAdmin(values.db);
      try {
        const u = await createUser(store, passwords, { email, password, firstName: values['first-name'], lastName: values['last-name'], login: values.login }, Date.now());
        await store.events.append({ type: 'user.create', at: u.createdAt, userId: u.id });
        printJson(show(u, Date.now()));
      } finally { await store.close(); }
      return 0;
    }
    case 'list': {
      const { values } = parse(rest, common);
      const { store } = await openAdmin(values.db, { readOnly: true });
      try { printJson((await store.users.list()).map((u) => show(u, Date.now()))); } finally { await store.close(); }
      return 0;
    }
    case 'unlock':
    case 'deactivate':
    case 'suspend':
    case 'activate':
    case 'set-password': {
      const { values } = parse(rest, { ...common, id: { type: 'string' }, email: { type: 'string' }, ...(sub === 'set-password' ? { password: { type: 'string' } } : {}) });
      if (!values.id && !values.email) throw new UsageError(`user ${sub} needs --id or --email`);
      const password = sub === 'set-password' ? required(values, 'password') : undefined;
      const { store, passwords } = await openAdmin(values.db);
      try {
        const u = values.id ? await store.users.findById(values.id) : await store.users.findByLogin(values.email);
        if (!u) throw new AdminError('no such user');
        const now = Date.now();
        if (sub === 'unlock') await store.users.unlock(u.id, now);
        else if (sub === 'set-password') await setUserPassword(store, passwords, u, password!, now);
        else if (sub === 'activate') await store.users.setStatus(u.id, 'ACTIVE', now);
        else {
          // Deactivated (deprovisioned) and suspended users cannot sign in, refresh or use their access tokens,
          // and their IdP sessions end now. Only `activate` brings them back.
          await store.users.setStatus(u.id, sub === 'suspend' ? 'SUSPENDED' : 'DEPROVISIONED', now);
          await store.sessions.revokeForUser(u.id, now);
        }
        await store.events.append({ type: `user.${sub}`, at: now, userId: u.id });
        printJson(show((await store.users.findById(u.id))!, now));
      } finally { await store.close(); }
      return 0;
    }
    case 'reset-password': {
      const { values } = parse(rest, { ...common, id: { type: 'string' }, email: { type: 'string' }, 'client-id': { type: 'string' } });
      if (!values.id && !values.email) throw new UsageError('user reset-password needs --id or --email');
      const { cfg, store } = await openAdmin(values.db);
      try {
        const u = values.id ? await store.users.findById(values.id) : await store.users.findByLogin(values.email);
        if (!u) throw new AdminError('no such user');
        const app = values['client-id'] ? await store.apps.findByClientId(values['client-id']) : null;
        if (values['client-id'] && !app) throw new AdminError(`no app with client id "${values['client-id']}"`);
        const mail = createMailer(cfg, createLogger(cfg.logLevel === 'info' ? 'error' : cfg.logLevel));
        const r = await startAdminReset(store, mail, u, app, Date.now());
        printJson({ id: u.id, email: u.email, mailed: r.mailed, expires_at: new Date(r.expiresAt).toISOString(), ...(r.recoveryToken ? { recovery_token: r.recoveryToken } : {}) });
      } finally { await store.close(); }
      return 0;
    }
    case 'factors':
    case 'reset-factor': {
      const { values } = parse(rest, { ...common, id: { type: 'string' }, email: { type: 'string' }, ...(sub === 'reset-factor' ? { key: { type: 'string' }, 'factor-id': { type: 'string' } } : {}) });
      if (!values.id && !values.email) throw new UsageError(`user ${sub} needs --id or --email`);
      const key = sub === 'reset-factor' ? required(values, 'key') : undefined;
      if (key !== undefined && key !== 'google_otp' && key !== 'webauthn') throw new UsageError('--key must be google_otp or webauthn (the password is reset with reset-password; the email is the user\'s address)');
      const { store } = await openAdmin(values.db, { readOnly: sub === 'factors' });
      try {
        const u = values.id ? await store.users.findById(values.id) : await store.users.findByLogin(values.email);
        if (!u) throw new AdminError('no such user');
        const now = Date.now();
        if (key) {
          const doomed = (await store.enrollments.listForUser(u.id)).filter((e) => e.authenticator === key && (!values['factor-id'] || e.id === values['factor-id']));
          if (!doomed.length) throw new AdminError(`the user has no ${key} enrollment${values['factor-id'] ? ` with id ${values['factor-id']}` : ''}`);
          for (const e of doomed) await store.enrollments.remove(e.id);
          await store.events.append({ type: 'factor.reset', at: now, userId: u.id, detail: { authenticator: key, removed: doomed.map((e) => e.id) } });
        }
        // Never a secret: no password hash, no TOTP secret, no public key; a masked address, a key's name.
        printJson((await store.enrollments.listForUser(u.id)).map((e) => ({
          id: e.id, key: e.authenticator, status: e.status, created: new Date(e.createdAt).toISOString(),
          last_used: e.lastUsedAt ? new Date(e.lastUsedAt).toISOString() : null,
          ...(e.authenticator === 'okta_email' ? { email: String(e.config.email ?? '') } : {}),
          ...(e.authenticator === 'webauthn' ? { name: String(e.config.name ?? '') } : {}),
        })));
      } finally { await store.close(); }
      return 0;
    }
    default:
      throw new UsageError(sub ? `unknown user command "${sub}"` : 'user needs a command: create, list, unlock, deactivate, suspend, activate, set-password, reset-password, factors, reset-factor');
  }
}
