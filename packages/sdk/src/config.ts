// The client's configuration, checked once, and the endpoint URLs derived from the issuer exactly as
// Okta's clients derive them (spec §3.1): OAuth under {issuer}/v1 for a custom authorization server or
// {issuer}/oauth2/v1 for the org server, IDX under the domain (the issuer cut at /oauth2). Endpoints are
// built from the issuer string, not from discovery; discovery is read only for `issuer` and `jwks_uri`.
import { GatehouseError } from './errors.js';
import type { Fetch } from './http.js';

export interface IdxClientOptions {
  /**
   * The authorization server, e.g. `https://id.example.com/oauth2/default` (custom) or
   * `https://id.example.com` (org). Must be `https:`; plain `http:` is accepted only for `localhost`,
   * `127.0.0.1` and `[::1]`, for development.
   */
  issuer: string;
  clientId: string;
  /** For confidential (web) apps: sent with HTTP Basic (`client_secret_basic`) to the token and revoke endpoints. */
  clientSecret?: string;
  /** Exactly as registered for the app. */
  redirectUri: string;
  /** Must include `openid`; add `offline_access` for a refresh token. */
  scopes: string[];
  /** A fetch implementation; default the global one. */
  fetch?: Fetch;
  /** Allowed clock difference when checking token times; default 60 s. */
  clockToleranceSeconds?: number;
  /** Per-request timeout; default 10 000 ms. */
  timeoutMs?: number;
}

export interface Endpoints {
  issuer: string;
  /** The org domain: the issuer with everything from `/oauth2` cut off. IDX lives under it. */
  domain: string;
  discovery: string;
  interact: string;
  token: string;
  userinfo: string;
  revoke: string;
  logout: string;
  keys: string;
  /** The only hard-coded IDX URL; every other one comes from a form's `href`. */
  introspect: string;
}

/** A checked, frozen configuration: what every plain function in this package takes first. */
export interface GatehouseConfig {
  readonly clientId: string;
  readonly clientSecret?: string;
  readonly redirectUri: string;
  readonly scopes: readonly string[];
  readonly endpoints: Endpoints;
  readonly fetch: Fetch;
  readonly clockToleranceSeconds: number;
  readonly timeoutMs: number;
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Derives the endpoint URLs from an issuer (org or custom authorization server).
 * @example
 * endpointsFor('https://id.example.com/oauth2/default').token; // 'https://id.example.com/oauth2/default/v1/token'
 */
export function endpointsFor(issuer: string): Endpoints {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    throw new GatehouseError('CONFIG_ERROR', `issuer is not a URL: ${issuer}`);
  }
  // Tokens and the PKCE verifier travel to these URLs; plain http would expose them to the network.
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOCAL_HOSTS.has(url.hostname))) {
    throw new GatehouseError('CONFIG_ERROR', `issuer must use https (http is allowed only for localhost): ${issuer}`);
  }
  if (url.search || url.hash) throw new GatehouseError('CONFIG_ERROR', `issuer must not have a query or fragment: ${issuer}`);
  const clean = issuer.replace(/\/+$/, '');
  const cut = clean.indexOf('/oauth2');
  const domain = cut >= 0 ? clean.slice(0, cut) : clean;
  const base = cut >= 0 ? `${clean}/v1` : `${clean}/oauth2/v1`;
  return {
    issuer: clean, domain, discovery: `${clean}/.well-known/openid-configuration`,
    interact: `${base}/interact`, token: `${base}/token`, userinfo: `${base}/userinfo`, revoke: `${base}/revoke`,
    logout: `${base}/logout`, keys: `${base}/keys`, introspect: `${domain}/idp/idx/introspect`,
  };
}

/**
 * Checks the options and returns the frozen configuration the plain functions take.
 * @example
 * const config = resolveConfig({ issuer, clientId, redirectUri, scopes: ['openid', 'profile'] });
 */
export function resolveConfig(options: IdxClientOptions): GatehouseConfig {
  if (!options.clientId) throw new GatehouseError('CONFIG_ERROR', 'clientId is required');
  if (!options.redirectUri) throw new GatehouseError('CONFIG_ERROR', 'redirectUri is required');
  try {
    new URL(options.redirectUri);
  } catch {
    throw new GatehouseError('CONFIG_ERROR', `redirectUri is not a URL: ${options.redirectUri}`);
  }
  if (!Array.isArray(options.scopes) || !options.scopes.includes('openid')) {
    throw new GatehouseError('CONFIG_ERROR', "scopes must include 'openid' (the sign-in returns an ID token)");
  }
  const fetch = options.fetch ?? globalThis.fetch;
  if (typeof fetch !== 'function') throw new GatehouseError('CONFIG_ERROR', 'no fetch implementation (Node 20 has one built in)');
  return Object.freeze({
    clientId: options.clientId,
    clientSecret: options.clientSecret || undefined,
    redirectUri: options.redirectUri,
    scopes: Object.freeze([...options.scopes]),
    endpoints: Object.freeze(endpointsFor(options.issuer)),
    fetch,
    clockToleranceSeconds: options.clockToleranceSeconds ?? 60,
    timeoutMs: options.timeoutMs ?? 10_000,
  });
}
