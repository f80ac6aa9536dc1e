// /api/v1/users: Okta's user object over our users, their lifecycle, and listing with q, filter and search.
// Creating and setting passwords go through identity/admin.ts, resets through identity/admin-reset.ts, so the API
// and the CLI apply the same checks. Every change is an audit event with Okta's eventType naming the API token.
import type { Deps } from '../deps.js';
import { AdminError, createUser, setUserPassword } from '../identity/admin.js';
import { startAdminReset } from '../identity/admin-reset.js';
import type { ApiToken, Condition, DirectoryUser, Enrollment, User, UserAttr } from '../store/interfaces.js';
import { ApiError, alreadyExists, invalidField, invalidSearch, notAllowedNow, notFound } from './errors.js';
import { ExpressionError, parseExpression, type AttrKind } from './expression.js';
import { iso, listLimit, str, type Body, type Listing } from './shapes.js';

export const USER_STATUSES = ['ACTIVE', 'STAGED', 'PROVISIONED', 'SUSPENDED', 'DEPROVISIONED', 'LOCKED_OUT', 'RECOVERY', 'PASSWORD_EXPIRED'] as const;

const USER_ATTRS: Record<UserAttr, AttrKind> = {
  id: 'text', status: { oneOf: USER_STATUSES }, created: 'date', activated: 'date', statusChanged: 'date', lastLogin: 'date',
  lastUpdated: 'date', passwordChanged: 'date', 'profile.login': 'text', 'profile.email': 'text', 'profile.firstName': 'text',
  'profile.lastName': 'text', 'profile.locale': 'text',
};
const PROFILE_FIELDS = ['login', 'email', 'firstName', 'lastName', 'locale'] as const;

export interface Actor {
  deps: Deps;
  token: ApiToken;
}

export function renderUser(baseUrl: string, u: DirectoryUser) {
  const self = `${baseUrl}/api/v1/users/${u.id}`;
  return {
    id: u.id, status: u.apiStatus, created: iso(u.createdAt), activated: iso(u.activatedAt), statusChanged: iso(u.statusChangedAt),
    lastLogin: iso(u.lastLoginAt), lastUpdated: iso(u.updatedAt), passwordChanged: iso(u.passwordChangedAt), type: { id: 'oty_default' },
    profile: { login: u.login, email: u.email, firstName: u.firstName || null, lastName: u.lastName || null, locale: u.locale },
    credentials: {
      ...(u.passwordHash ? { password: {} } : {}),
      emails: [{ value: u.email, status: 'VERIFIED', type: 'PRIMARY' }],
      provider: { type: 'OKTA', name: 'OKTA' },
    },
    _links: { self: { href: self }, groups: { href: `${self}/groups` }, factors: { href: `${self}/factors` } },
  };
}

/** By id, or by login or email as Okta's `GET /users/{login}` allows. */
export async function findUser(deps: Deps, idOrLogin: string): Promise<DirectoryUser> {
  const byId = async (id: string) => (await deps.store.users.page({ where: { op: 'eq', attr: 'id', value: id }, limit: 1, now: deps.now() })).items[0];
  const u = (await byId(idOrLogin)) ?? (idOrLogin.length <= 256 ? await deps.store.users.findByLogin(idOrLogin).then((x) => x && byId(x.id)) : undefined);
  if (!u) throw notFound(`${idOrLogin.slice(0, 100)} (User)`);
  return u;
}

async function event(a: Actor, type: string, user: User, detail?: Record<string, unknown>) {
  await a.deps.store.events.append({ type, at: a.deps.now(), userId: user.id, actorId: a.token.id, detail: { login: user.login, ...detail } });
}

function adminError(e: unknown): never {
  if (e instanceof AdminError) throw invalidField(e.field ?? 'profile', e.message);
  throw e;
}

function parseCondition(params: URLSearchParams): Condition<UserAttr> | undefined {
  const terms: Condition<UserAttr>[] = [];
  try {
    for (const name of ['filter', 'search'] as const) {
      const v = params.get(name);
      if (v !== null) terms.push(parseExpression(v, USER_ATTRS));
    }
  } catch (e) {
    if (e instanceof ExpressionError) throw invalidSearch(e.message);
    throw e;
  }
  const q = params.get('q');
  if (q !== null) {
    if (q.length > 256) throw invalidSearch('q is longer than 256 characters');
    terms.push({ op: 'or', terms: (['profile.firstName', 'profile.lastName', 'profile.email', 'profile.login'] as const).map((attr) => ({ op: 'sw' as const, attr, value: q })) });
  }
  return terms.length === 0 ? undefined : terms.length === 1 ? terms[0] : { op: 'and', terms };
}

export async function listUsers(deps: Deps, params: URLSearchParams, groupId?: string): Promise<Listing> {
  const page = await deps.store.users.page({ where: parseCondition(params), groupId, after: params.get('after') ?? undefined, limit: listLimit(params, 200, 200), now: deps.now() });
  return { items: page.items.map((u) => renderUser(deps.cfg.baseUrl, u)), next: page.next };
}

function profileOf(body: Body, current?: User) {
  const p = body.profile;
  if (p === undefined && current) return undefined;
  if (p === null || typeof p !== 'object' || Array.isArray(p)) throw invalidField('profile', 'The profile must be an object.');
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(p)) {
    if (v === null || v === undefined) continue;
    if (!(PROFILE_FIELDS as readonly string[]).includes(k)) throw invalidField(k.slice(0, 64), `Property name '${k.slice(0, 64)}' is not defined in the profile schema.`);
    out[k] = str(v, k, 256);
  }
  return out;
}

function passwordOf(body: Body): string | undefined {
  const c = body.credentials as { password?: { value?: unknown } } | undefined;
  const v = c && typeof c === 'object' ? c.password?.value : undefined;
  return v === undefined ? undefined : str(v, 'password', 256);
}

export async function createApiUser(a: Actor, body: Body, params: URLSearchParams) {
  const { deps } = a;
  const p = profileOf(body)!;
  if (!p.email) throw invalidField('email', 'The field cannot be left blank.');
  if (!p.login) throw invalidField('login', 'The field cannot be left blank.');
  const activate = params.get('activate') !== 'false';
  const groupIds = Array.isArray(body.groupIds) ? body.groupIds.map((g) => str(g, 'groupIds', 64)) : [];
  for (const g of groupIds) if (!(await deps.store.groups.findById(g))) throw invalidField('groupIds', `No group with id ${g}.`);
  if (await deps.store.users.findByLogin(p.login)) throw alreadyExists('login');
  if (await deps.store.users.findByLogin(p.email)) throw alreadyExists('email');
  const created = await createUser(deps.store, deps.passwords, {
    email: p.email, login: p.login, firstName: p.firstName, lastName: p.lastName, locale: p.locale, password: passwordOf(body),
    status: activate ? 'ACTIVE' : 'STAGED',
  }, deps.now()).catch(adminError);
  for (const g of groupIds) await deps.store.groups.addMember(g, created.id, deps.now());
  await event(a, 'user.lifecycle.create', created, { activated: activate });
  return renderUser(deps.cfg.baseUrl, await findUser(deps, created.id));
}

/** POST is a partial update (profile fields given replace those), PUT a full one (fields left out are cleared). */
export async function updateApiUser(a: Actor, idOrLogin: string, body: Body, full: boolean) {
  const { deps } = a;
  const u = await findUser(deps, idOrLogin);
  const p = profileOf(body, u);
  if (p) {
    const next = full
      ? { login: p.login ?? '', email: p.email ?? '', firstName: p.firstName ?? '', lastName: p.lastName ?? '', locale: p.locale ?? 'en_US' }
      : { login: p.login ?? u.login, email: p.email ?? u.email, firstName: p.firstName ?? u.firstName, lastName: p.lastName ?? u.lastName, locale: p.locale ?? u.locale };
    if (!next.login) throw invalidField('login', 'The field cannot be left blank.');
    if (!/^[^\s@]{1,64}@[^\s@]{1,255}$/.test(next.email)) throw invalidField('email', 'Does not match required pattern.');
    for (const field of ['login', 'email'] as const) {
      const other = await deps.store.users.findByLogin(next[field]);
      if (other && other.id !== u.id) throw alreadyExists(field);
    }
    await deps.store.users.updateProfile(u.id, next, deps.now());
    await event(a, 'user.account.update_profile', u);
  }
  const password = passwordOf(body);
  if (password !== undefined) {
    await setUserPassword(deps.store, deps.passwords, u, password, deps.now()).catch(adminError);
    await event(a, 'user.account.update_password', u);
  }
  return renderUser(deps.cfg.baseUrl, await findUser(deps, u.id));
}

export async function getApiUser(deps: Deps, idOrLogin: string) {
  return renderUser(deps.cfg.baseUrl, await findUser(deps, idOrLogin));
}

/** A lifecycle operation (`POST /users/{id}/lifecycle/{op}`); what it answers, as Okta does. */
export async function lifecycle(a: Actor, idOrLogin: string, op: string, params: URLSearchParams): Promise<unknown> {
  const { deps } = a;
  const { store } = deps;
  const u = await findUser(deps, idOrLogin);
  const now = deps.now();
  const endSessions = async () => {
    await store.sessions.revokeForUser(u.id, now);
    await store.tokens.revokeGrantsForUser(u.id, now);
  };
  switch (op) {
    case 'activate':
      if (u.status === 'ACTIVE') throw new ApiError(403, 'E0000016', 'Activation failed because the user is already active');
      await store.users.setStatus(u.id, 'ACTIVE', now);
      await event(a, 'user.lifecycle.activate', u);
      return {};
    case 'deactivate':
      if (u.status !== 'DEPROVISIONED') {
        // Deactivated users cannot sign in, refresh or use their tokens; their sessions end now.
        await store.users.setStatus(u.id, 'DEPROVISIONED', now);
        await endSessions();
        await event(a, 'user.lifecycle.deactivate', u);
      }
      return {};
    case 'suspend':
      if (u.status !== 'ACTIVE') throw invalidField('status', 'Cannot suspend a user that is not active.');
      await store.users.setStatus(u.id, 'SUSPENDED', now);
      await store.sessions.revokeForUser(u.id, now);
      await event(a, 'user.lifecycle.suspend', u);
      return {};
    case 'unsuspend':
      if (u.status !== 'SUSPENDED') throw invalidField('status', 'Cannot unsuspend a user that is not suspended.');
      await store.users.setStatus(u.id, 'ACTIVE', now);
      await event(a, 'user.lifecycle.unsuspend', u);
      return {};
    case 'unlock':
      if (u.apiStatus !== 'LOCKED_OUT') throw notAllowedNow('The user is not locked out.');
      await store.users.unlock(u.id, now);
      await event(a, 'user.account.unlock', u);
      return {};
    case 'expire_password':
      if (!u.passwordHash) throw notAllowedNow('The user has no password to expire.');
      await store.users.setPasswordExpired(u.id, true, now);
      await event(a, 'user.account.expire_password', u);
      return renderUser(deps.cfg.baseUrl, await findUser(deps, u.id));
    case 'reset_password': {
      if (u.status !== 'ACTIVE') throw notAllowedNow('Only an active user can reset their password.');
      // Gatehouse extension: the app whose email-verify URI receives the link (Okta has one org-wide sign-in page).
      const clientId = params.get('client_id');
      const app = clientId ? await store.apps.findByClientId(clientId) : null;
      if (clientId && !app) throw invalidField('client_id', 'No active app with this client id.');
      const sendEmail = params.get('sendEmail') !== 'false';
      if (sendEmail && (!deps.mail.enabled || !app?.emailVerifyUri)) {
        throw invalidField('sendEmail', 'No mail can carry the link: give client_id of an app with an email-verify URI, with mail configured, or sendEmail=false.');
      }
      const r = await startAdminReset(store, deps.mail, u, sendEmail ? app : null, now);
      await event(a, 'user.account.reset_password', u, { sendEmail });
      if (sendEmail) return {};
      const link = app?.emailVerifyUri ? new URL(app.emailVerifyUri) : null;
      link?.searchParams.set('recovery_token', r.recoveryToken!);
      return { resetPasswordUrl: link?.href ?? null, recoveryToken: r.recoveryToken };
    }
    default:
      throw notFound(`lifecycle/${op.slice(0, 40)}`);
  }
}

/** As Okta: deleting a user who is not deactivated deactivates them; a second delete removes them for good. */
export async function deleteApiUser(a: Actor, idOrLogin: string, params: URLSearchParams) {
  const u = await findUser(a.deps, idOrLogin);
  if (u.status !== 'DEPROVISIONED') return lifecycle(a, u.id, 'deactivate', params);
  await a.deps.store.users.delete(u.id);
  await event(a, 'user.lifecycle.delete.completed', u);
  return undefined;
}

const FACTOR_TYPES: Record<string, { factorType: string; provider: string }> = {
  okta_email: { factorType: 'email', provider: 'OKTA' },
  google_otp: { factorType: 'token:software:totp', provider: 'GOOGLE' },
  webauthn: { factorType: 'webauthn', provider: 'FIDO' },
};

/** The user's factors in Okta's shape: every enrollment but the password, which Okta does not list as a factor. */
export async function listFactors(deps: Deps, idOrLogin: string) {
  const u = await findUser(deps, idOrLogin);
  const self = `${deps.cfg.baseUrl}/api/v1/users/${u.id}/factors`;
  return (await deps.store.enrollments.listForUser(u.id)).filter((e: Enrollment) => FACTOR_TYPES[e.authenticator]).map((e) => ({
    id: e.id, ...FACTOR_TYPES[e.authenticator]!, vendorName: FACTOR_TYPES[e.authenticator]!.provider, status: e.status === 'ACTIVE' ? 'ACTIVE' : 'PENDING_ACTIVATION',
    created: iso(e.createdAt), lastUpdated: iso(e.lastUsedAt ?? e.createdAt),
    profile: e.authenticator === 'okta_email' ? { email: e.config.email } : {},
    _links: { self: { href: `${self}/${e.id}` }, user: { href: `${deps.cfg.baseUrl}/api/v1/users/${u.id}` } },
  }));
}
