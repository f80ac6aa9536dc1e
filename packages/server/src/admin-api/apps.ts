// /api/v1/apps: OIDC apps in Okta's OpenIdConnectApplication shape, over the same model the CLI writes
// (identity/admin.ts createApp/updateApp/rotateAppSecret). A client secret is shown once, when made.
import type { Deps } from '../deps.js';
import { AdminError, createApp, rotateAppSecret, updateApp, type NewApp } from '../identity/admin.js';
import type { App, AppType, AuthMethod } from '../store/interfaces.js';
import { ApiError, invalidField, notFound } from './errors.js';
import { iso, listLimit, type Body, type Listing } from './shapes.js';
import type { Actor } from './users.js';

// Okta's application_type → ours.
const TYPES: Record<string, AppType> = { web: 'web', browser: 'spa', native: 'native', service: 'service' };
const OKTA_TYPE: Record<AppType, string> = { web: 'web', spa: 'browser', native: 'native', service: 'service' };
const AUTH_METHODS: AuthMethod[] = ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'];

export function renderApp(baseUrl: string, a: App, clientSecret?: string) {
  const self = `${baseUrl}/api/v1/apps/${a.clientId}`;
  return {
    id: a.clientId, name: 'oidc_client', label: a.name, status: a.status ?? 'ACTIVE', signOnMode: 'OPENID_CONNECT',
    created: iso(a.createdAt), lastUpdated: iso(a.createdAt), features: [], visibility: { autoSubmitToolbar: false, hide: { iOS: true, web: true } },
    accessibility: { selfService: false }, profile: {},
    credentials: {
      userNameTemplate: { template: '${source.login}', type: 'BUILT_IN' }, signing: {},
      oauthClient: { client_id: a.clientId, ...(clientSecret ? { client_secret: clientSecret } : {}), token_endpoint_auth_method: a.authMethod, autoKeyRotation: true, pkce_required: a.pkceRequired },
    },
    settings: {
      app: {},
      oauthClient: {
        redirect_uris: a.redirectUris, post_logout_redirect_uris: a.postLogoutRedirectUris, grant_types: a.grantTypes,
        response_types: a.type === 'service' ? ['token'] : ['code'], application_type: OKTA_TYPE[a.type], consent_method: 'TRUSTED',
        ...(a.jwks ? { jwks: a.jwks } : {}),
      },
    },
    _links: {
      self: { href: self }, users: { href: `${self}/users` }, groups: { href: `${self}/groups` },
      deactivate: { href: `${self}/lifecycle/deactivate` },
    },
  };
}

async function findApp(deps: Deps, id: string): Promise<App> {
  const a = id.length <= 64 ? await deps.store.apps.findAnyByClientId(id) : null;
  if (!a) throw notFound(`${id.slice(0, 100)} (AppInstance)`);
  return a;
}

const adminError = (e: unknown): never => {
  if (e instanceof AdminError) throw invalidField(e.field ?? 'settings.oauthClient', e.message);
  throw e;
};

function strings(v: unknown, field: string): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.length > 50 || v.some((x) => typeof x !== 'string' || x.length > 2000)) throw invalidField(field, 'Must be a list of strings.');
  return v as string[];
}

function oidcParts(body: Body) {
  if (body.signOnMode !== undefined && body.signOnMode !== 'OPENID_CONNECT') throw invalidField('signOnMode', 'Only OPENID_CONNECT apps are supported.');
  const settings = (body.settings as { oauthClient?: Record<string, unknown> } | undefined)?.oauthClient ?? {};
  const creds = (body.credentials as { oauthClient?: Record<string, unknown> } | undefined)?.oauthClient ?? {};
  const label = typeof body.label === 'string' ? body.label : undefined;
  return { settings, creds, label };
}

export async function listApps(deps: Deps, params: URLSearchParams): Promise<Listing> {
  // Few apps per org: one bounded read, filtered by label prefix (q) and paged by position.
  const limit = listLimit(params, 20, 200);
  const q = params.get('q')?.toLowerCase();
  const all = (await deps.store.apps.list()).filter((a) => !q || a.name.toLowerCase().startsWith(q));
  const after = params.get('after');
  const start = after ? all.findIndex((a) => a.clientId === after) + 1 : 0;
  const items = all.slice(start, start + limit);
  return { items: items.map((a) => renderApp(deps.cfg.baseUrl, a)), next: start + limit < all.length ? items[items.length - 1]!.clientId : null };
}

export async function createApiApp(a: Actor, body: Body) {
  const { settings, creds, label } = oidcParts(body);
  if (!label) throw invalidField('label', 'The field cannot be left blank.');
  const type = TYPES[String(settings.application_type ?? 'web')];
  if (!type) throw invalidField('settings.oauthClient.application_type', 'Must be web, browser, native or service.');
  const authMethod = creds.token_endpoint_auth_method as AuthMethod | undefined;
  if (authMethod !== undefined && !AUTH_METHODS.includes(authMethod)) throw invalidField('credentials.oauthClient.token_endpoint_auth_method', 'Unknown method.');
  const input: NewApp = {
    name: label, type, authMethod, redirectUris: strings(settings.redirect_uris, 'redirect_uris'),
    postLogoutRedirectUris: strings(settings.post_logout_redirect_uris, 'post_logout_redirect_uris'), grantTypes: strings(settings.grant_types, 'grant_types'),
    jwks: (settings.jwks as NewApp['jwks']) ?? undefined,
    ...(creds.pkce_required === true ? { pkce: 'required' as const } : creds.pkce_required === false && type === 'web' ? { pkce: 'optional' as const } : {}),
  };
  const { app, clientSecret } = await createApp(a.deps.store, input, a.deps.now()).catch(adminError);
  await a.deps.store.events.append({ type: 'application.lifecycle.create', at: a.deps.now(), clientId: app.clientId, actorId: a.token.id, detail: { label: app.name } });
  return renderApp(a.deps.cfg.baseUrl, app, clientSecret);
}

export const getApiApp = async (deps: Deps, id: string) => renderApp(deps.cfg.baseUrl, await findApp(deps, id));

export async function replaceApiApp(a: Actor, id: string, body: Body) {
  const app = await findApp(a.deps, id);
  const { settings, label } = oidcParts(body);
  const next = await updateApp(a.deps.store, app.clientId, {
    name: label, redirectUris: strings(settings.redirect_uris, 'redirect_uris'), postLogoutRedirectUris: strings(settings.post_logout_redirect_uris, 'post_logout_redirect_uris'),
  }, a.deps.now()).catch(adminError);
  return renderApp(a.deps.cfg.baseUrl, next);
}

export async function appLifecycle(a: Actor, id: string, op: string) {
  const app = await findApp(a.deps, id);
  if (op !== 'activate' && op !== 'deactivate') throw notFound(`lifecycle/${op.slice(0, 40)}`);
  await a.deps.store.apps.setStatus(app.clientId, op === 'activate' ? 'ACTIVE' : 'INACTIVE');
  await a.deps.store.events.append({ type: `application.lifecycle.${op}`, at: a.deps.now(), clientId: app.clientId, actorId: a.token.id });
  return {};
}

/** As Okta: only a deactivated app can be deleted. */
export async function deleteApiApp(a: Actor, id: string) {
  const app = await findApp(a.deps, id);
  if (app.status !== 'INACTIVE') throw new ApiError(400, 'E0000056', 'Delete application forbidden.', ['Deactivate the application before deleting it.']);
  await a.deps.store.apps.delete(app.clientId);
  await a.deps.store.events.append({ type: 'application.lifecycle.delete', at: a.deps.now(), clientId: app.clientId, actorId: a.token.id });
}

/** `POST /apps/{id}/credentials/secrets`: a new client secret, shown once; the old one stops working at once. */
export async function newAppSecret(a: Actor, id: string) {
  const app = await findApp(a.deps, id);
  const { clientSecret } = await rotateAppSecret(a.deps.store, app.clientId, a.deps.now()).catch(adminError);
  const now = iso(a.deps.now());
  return { id: 'ocs' + app.clientId.slice(3), status: 'ACTIVE', client_secret: clientSecret, secret_hash: null, created: now, lastUpdated: now };
}
