// Creating users and apps: shared by the CLI, the demo and the tests, so all of them go through the same
// validation and storage code as production.
import type { App, AppType, Assurance, AuthMethod, SignInPolicy, Store, User } from '../store/interfaces.js';
import { newId, randomToken, sha256 } from '../random.js';
import { checkPasswordPolicy, type Passwords } from './passwords.js';
import { isValidRedirectUri, isValidOrigin } from '../oauth/redirect-uri.js';

export class AdminError extends Error {
  override name = 'AdminError';
  /** The input field at fault, when there is one (the management API names it in Okta's errorCauses). */
  constructor(message: string, readonly field?: string) {
    super(message);
  }
}

export interface NewUser {
  email: string;
  password?: string;
  firstName?: string;
  lastName?: string;
  login?: string;
  locale?: string;
  /** STAGED: created but not activated yet (the management API's `activate=false`); ACTIVE by default. */
  status?: 'ACTIVE' | 'STAGED';
  /** Values of the profile schema's custom attributes. */
  profile?: Record<string, string>;
}

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}$/;

export async function createUser(store: Store, passwords: Passwords, u: NewUser, now: number): Promise<User> {
  const email = u.email?.trim() ?? '';
  if (!EMAIL.test(email)) throw new AdminError(`not an email address: "${email}"`, 'email');
  const login = (u.login ?? email).trim();
  if (login.length === 0 || login.length > 256) throw new AdminError('login must be 1-256 characters', 'login');
  if (await store.users.findByLogin(login) || await store.users.findByLogin(email)) throw new AdminError(`a user with login or email ${email} already exists`, 'login');
  let passwordHash: string | null = null;
  if (u.password !== undefined) {
    const problems = checkPasswordPolicy(u.password, login, (await store.policies.get()).password);
    if (problems.length) throw new AdminError(problems.join(' '), 'password');
    passwordHash = await passwords.hash(u.password);
  }
  return store.users.create({
    id: newId('00u'), login, email, firstName: u.firstName ?? '', lastName: u.lastName ?? '', locale: u.locale ?? 'en_US',
    status: u.status ?? 'ACTIVE', passwordHash, profile: u.profile ?? {}, createdAt: now,
  });
}

/** An administrator sets a new password: the policy applies, and the user's IdP sessions end. */
export async function setUserPassword(store: Store, passwords: Passwords, user: User, password: string, now: number): Promise<void> {
  const problems = checkPasswordPolicy(password, user.login, (await store.policies.get()).password);
  if (problems.length) throw new AdminError(problems.join(' '), 'password');
  await store.users.setPasswordHash(user.id, await passwords.hash(password), now);
  await store.sessions.revokeForUser(user.id, now);
}

export interface NewApp {
  name: string;
  type: AppType;
  redirectUris?: string[];
  postLogoutRedirectUris?: string[];
  trustedOrigins?: string[];
  signIn?: SignInPolicy;
  authMethod?: AuthMethod;
  grantTypes?: string[];
  jwks?: { keys: object[] } | null;
  frameAncestors?: string[];
  /** 'required' | 'optional'; only a confidential web app may make PKCE optional (its default, as in Okta). */
  pkce?: PkceSetting;
  /** The app's email-verify callback for magic links (spec §4.5). */
  emailVerifyUri?: string | null;
  assurance?: Assurance;
  rememberDeviceMinutes?: number;
}

const ASSURANCES: Assurance[] = ['any-1', 'any-2', 'phishing-resistant'];
function checkedAssurance(a: string | undefined): Assurance | undefined {
  if (a === undefined) return undefined;
  if (!ASSURANCES.includes(a as Assurance)) throw new AdminError(`--assurance must be ${ASSURANCES.join(', ')}, not "${a}"`);
  return a as Assurance;
}
function checkedMinutes(n: number | undefined): number | undefined {
  if (n === undefined) return undefined;
  if (!Number.isInteger(n) || n < 0 || n > 525_600) throw new AdminError('--remember-device-minutes must be a whole number from 0 to 525600');
  return n;
}

export type PkceSetting = 'required' | 'optional';

/**
 * Public clients cannot keep a secret, so PKCE is what binds their code to them (RFC 9700 §2.1.1): always
 * required. A confidential web app authenticates at the token endpoint, so PKCE is recommended, not required,
 * unless the app says so; this is Okta's default and what classic web-app middleware expects.
 */
function pkceRequiredFor(type: AppType, setting: PkceSetting | undefined, current?: boolean): boolean {
  if (setting !== undefined && setting !== 'required' && setting !== 'optional') throw new AdminError(`--pkce must be required or optional, not "${setting}"`);
  if (type !== 'web') {
    if (setting === 'optional') throw new AdminError(`a ${type} app always requires PKCE`);
    return true;
  }
  return setting === undefined ? current ?? false : setting === 'required';
}

function checkedUri(u: string | null | undefined): string | undefined {
  if (u === undefined || u === null) return undefined;
  if (!isValidRedirectUri(u) || !/^https?:/.test(u)) throw new AdminError(`not an absolute http(s) URI without a fragment: "${u}"`);
  return u;
}

const DEFAULT_GRANTS: Record<AppType, string[]> = {
  web: ['authorization_code', 'interaction_code', 'refresh_token'],
  spa: ['authorization_code', 'interaction_code', 'refresh_token'],
  native: ['authorization_code', 'interaction_code', 'refresh_token'],
  service: ['client_credentials'],
};

/** The checks shared by create and update: a name, exact absolute URIs, origins, a known sign-in policy. */
function checkAppSettings(a: { name: string; type: AppType; redirectUris: string[]; postLogoutRedirectUris: string[]; signIn?: string }, origins: string[]) {
  if (!a.name || a.name.length > 100) throw new AdminError('app name must be 1-100 characters');
  for (const u of [...a.redirectUris, ...a.postLogoutRedirectUris]) {
    if (!isValidRedirectUri(u)) throw new AdminError(`not an absolute redirect URI without a fragment: "${u}"`);
  }
  for (const o of origins) if (!isValidOrigin(o)) throw new AdminError(`not an origin (scheme://host[:port]): "${o}"`);
  if (a.type !== 'service' && a.redirectUris.length === 0) throw new AdminError(`a ${a.type} app needs at least one --redirect-uri`);
  if (a.signIn && a.signIn !== 'password-first' && a.signIn !== 'identifier-first') throw new AdminError('sign-in policy must be identifier-first or password-first');
}

/** Creates an app; the client secret (for confidential apps) is returned here once and stored hashed. */
export async function createApp(store: Store, a: NewApp, now: number): Promise<{ app: App; clientSecret?: string }> {
  const name = a.name?.trim() ?? '';
  if (!['web', 'spa', 'native', 'service'].includes(a.type)) throw new AdminError(`app type must be web, spa, native or service, not "${a.type}"`);
  const redirectUris = a.redirectUris ?? [];
  checkAppSettings({ name, type: a.type, redirectUris, postLogoutRedirectUris: a.postLogoutRedirectUris ?? [], signIn: a.signIn },
    [...(a.trustedOrigins ?? []), ...(a.frameAncestors ?? [])]);
  const confidential = a.type === 'web' || a.type === 'service';
  const authMethod: AuthMethod = a.authMethod ?? (confidential ? 'client_secret_basic' : 'none');
  if (!confidential && authMethod !== 'none') throw new AdminError(`a ${a.type} app is public: its auth method is none`);
  if (authMethod === 'private_key_jwt' && !a.jwks) throw new AdminError('private_key_jwt needs a JWK set (--jwks)');
  const clientSecret = confidential && authMethod !== 'private_key_jwt' ? randomToken(32) : undefined;
  const app: App = {
    clientId: newId('0oa'), name, type: a.type, secretHash: clientSecret ? sha256(clientSecret) : null, redirectUris,
    postLogoutRedirectUris: a.postLogoutRedirectUris ?? [], grantTypes: a.grantTypes ?? DEFAULT_GRANTS[a.type], authMethod,
    signIn: a.signIn ?? 'password-first', jwks: a.jwks ?? null, frameAncestors: a.frameAncestors ?? [],
    pkceRequired: pkceRequiredFor(a.type, a.pkce), emailVerifyUri: checkedUri(a.emailVerifyUri) ?? null,
    assurance: checkedAssurance(a.assurance) ?? 'any-1', rememberDeviceMinutes: checkedMinutes(a.rememberDeviceMinutes) ?? 0, createdAt: now,
  };
  await store.apps.create(app);
  for (const o of a.trustedOrigins ?? []) await store.origins.add(o, now);
  return { app, clientSecret };
}

export interface AppChanges {
  name?: string;
  /** Each list, when given, replaces the app's list. */
  redirectUris?: string[];
  postLogoutRedirectUris?: string[];
  frameAncestors?: string[];
  signIn?: SignInPolicy;
  pkce?: PkceSetting;
  /** An empty string removes it. */
  emailVerifyUri?: string;
  assurance?: Assurance;
  rememberDeviceMinutes?: number;
  /** Added to the org's trusted origins (they are org-wide, as in Okta). */
  trustedOrigins?: string[];
}

/** Changes an app's settings. Codes already issued keep the redirect URI they were issued for. */
export async function updateApp(store: Store, clientId: string, c: AppChanges, now: number): Promise<App> {
  const app = await store.apps.findAnyByClientId(clientId);
  if (!app) throw new AdminError(`no app with client id "${clientId}"`);
  const next: App = {
    ...app,
    name: c.name?.trim() ?? app.name,
    redirectUris: c.redirectUris ?? app.redirectUris,
    postLogoutRedirectUris: c.postLogoutRedirectUris ?? app.postLogoutRedirectUris,
    frameAncestors: c.frameAncestors ?? app.frameAncestors,
    signIn: c.signIn ?? app.signIn,
    pkceRequired: pkceRequiredFor(app.type, c.pkce, app.pkceRequired),
    emailVerifyUri: c.emailVerifyUri === undefined ? app.emailVerifyUri : c.emailVerifyUri === '' ? null : checkedUri(c.emailVerifyUri)!,
    assurance: checkedAssurance(c.assurance) ?? app.assurance,
    rememberDeviceMinutes: checkedMinutes(c.rememberDeviceMinutes) ?? app.rememberDeviceMinutes,
  };
  checkAppSettings(next, [...(c.trustedOrigins ?? []), ...(c.frameAncestors ?? [])]);
  await store.apps.update(next);
  for (const o of c.trustedOrigins ?? []) await store.origins.add(o, now);
  await store.events.append({ type: 'app.update', at: now, clientId });
  return next;
}

/**
 * A new client secret, returned here once and stored hashed. The old one stops working at once: a secret
 * that leaked must not keep working for a grace period.
 */
export async function rotateAppSecret(store: Store, clientId: string, now: number): Promise<{ app: App; clientSecret: string }> {
  const app = await store.apps.findAnyByClientId(clientId);
  if (!app) throw new AdminError(`no app with client id "${clientId}"`);
  if (app.authMethod !== 'client_secret_basic' && app.authMethod !== 'client_secret_post') {
    throw new AdminError(`app "${clientId}" does not authenticate with a client secret (${app.authMethod})`);
  }
  const clientSecret = randomToken(32);
  const next = { ...app, secretHash: sha256(clientSecret) };
  await store.apps.update(next);
  await store.events.append({ type: 'app.secret_rotated', at: now, clientId });
  return { app: next, clientSecret };
}
