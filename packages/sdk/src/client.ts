// IdxClient: the seed's client, a thin face over the plain functions in this package.
import type { IdxResponse } from '@gatehouse/protocol';
import type { JWTPayload } from 'jose';
import { timingSafeEqual } from 'node:crypto';
import { discoveryCache } from './discovery.js';
import { GatehouseError } from './errors.js';
import { basicAuth, form, oauthRequest, send, type Fetch, type HttpOptions } from './http.js';
import { createPkce, randomValue } from './pkce.js';
import { describe, fillForm, interactionCodeOf, introspect, normalise, submit, type NextStep, type Values } from './headless.js';
import { postToken, toTokenSet, type TokenSet } from './tokens.js';
import { urlsFor, type Urls } from './urls.js';
import { verifyJwt } from './verify.js';

export interface IdxClientOptions {
  /** The authorization server, e.g. `https://id.example.com/oauth2/default`. http only for localhost. */
  issuer: string;
  clientId: string;
  /** For confidential (web) apps; sent with HTTP Basic to the token endpoint. */
  clientSecret?: string;
  /** Exactly as registered. */
  redirectUri: string;
  scopes?: string[];
  /** Allowed clock difference when checking token times; default 60 s. */
  clockToleranceSeconds?: number;
  /** Per-request timeout; default 10 s. */
  timeoutMs?: number;
  fetch?: Fetch;
}

/** What the app keeps in its session between starting the sign-in and the callback. */
export interface SignInContext {
  codeVerifier: string;
  codeChallenge: string;
  state: string;
  nonce: string;
  createdAt: number;
}

/** What the page needs to render the widget (no secrets: the verifier stays on the server). */
export interface WidgetConfig {
  issuer: string;
  clientId: string;
  redirectUri: string;
  scopes: string[];
  state: string;
  nonce: string;
  codeChallenge: string;
  codeChallengeMethod: 'S256';
}

export interface IdxTransaction {
  context: SignInContext;
  response: IdxResponse;
}

export type AuthenticateResult =
  | { status: 'SUCCESS'; tokens: TokenSet }
  | { status: 'PENDING'; transaction: IdxTransaction; nextStep: NextStep };

export interface CallbackParams {
  state?: string;
  interaction_code?: string;
  error?: string;
  error_description?: string;
}

const sameString = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export class IdxClient {
  readonly urls: Urls;
  readonly scopes: string[];
  private readonly http: HttpOptions;
  private readonly discovery: ReturnType<typeof discoveryCache>;
  private readonly tolerance: number;

  constructor(private readonly options: IdxClientOptions) {
    if (!options.clientId) throw new GatehouseError('CONFIG_ERROR', 'clientId is required');
    if (!options.redirectUri) throw new GatehouseError('CONFIG_ERROR', 'redirectUri is required');
    this.urls = urlsFor(options.issuer);
    this.scopes = options.scopes ?? ['openid', 'profile', 'email'];
    this.http = { fetch: options.fetch ?? globalThis.fetch, timeoutMs: options.timeoutMs ?? 10_000 };
    this.discovery = discoveryCache(this.http, this.urls);
    this.tolerance = options.clockToleranceSeconds ?? 60;
  }

  /**
   * Starts a widget sign-in: the context to keep in the session and the widget configuration to render.
   * No network call: the widget calls /v1/interact itself with this code challenge.
   * @example
   * const { context, widgetConfig } = idx.startInteraction();
   * req.session.signIn = context;
   */
  startInteraction(): { context: SignInContext; widgetConfig: WidgetConfig } {
    const { codeVerifier, codeChallenge } = createPkce();
    const context: SignInContext = { codeVerifier, codeChallenge, state: randomValue(), nonce: randomValue(), createdAt: Date.now() };
    return {
      context,
      widgetConfig: {
        issuer: this.urls.issuer, clientId: this.options.clientId, redirectUri: this.options.redirectUri, scopes: this.scopes,
        state: context.state, nonce: context.nonce, codeChallenge, codeChallengeMethod: 'S256',
      },
    };
  }

  /**
   * Redeems the interaction code from the callback with the context's PKCE verifier and verifies the ID
   * token (signature, iss, aud, exp, nonce) before returning the tokens.
   * @example
   * const tokens = await idx.redeemInteractionCode(req.session.signIn, req.query.interaction_code);
   */
  async redeemInteractionCode(context: SignInContext, interactionCode: string): Promise<TokenSet> {
    if (!interactionCode) throw new GatehouseError('CONFIG_ERROR', 'interactionCode is required');
    const res = await postToken(this.http, `${this.urls.oauthBase}/token`, this.options, {
      grant_type: 'interaction_code', interaction_code: interactionCode, code_verifier: context.codeVerifier, redirect_uri: this.options.redirectUri,
    });
    const claims = await this.verifyIdToken(res.id_token ?? '', { nonce: context.nonce });
    return toTokenSet(res, claims);
  }

  /**
   * Checks the callback's `state` against the context (constant time), surfaces `error`, and redeems.
   * @example
   * const tokens = await idx.handleCallback(req.session.signIn, req.query);
   */
  async handleCallback(context: SignInContext | undefined, params: CallbackParams): Promise<TokenSet> {
    if (!context || !params.state || !sameString(params.state, context.state)) {
      throw new GatehouseError('STATE_MISMATCH', 'the callback state does not match this sign-in');
    }
    if (params.error) throw new GatehouseError('OAUTH_ERROR', `${params.error}: ${params.error_description ?? ''}`, { error: params.error, error_description: params.error_description });
    if (!params.interaction_code) throw new GatehouseError('OAUTH_ERROR', 'the callback has no interaction_code', { error: 'invalid_request' });
    return this.redeemInteractionCode(context, params.interaction_code);
  }

  /**
   * Verifies an ID token issued to this client. @example await idx.verifyIdToken(tokens.idToken, { nonce })
   */
  async verifyIdToken(idToken: string, opts: { nonce?: string } = {}): Promise<JWTPayload> {
    const d = await this.discovery.get();
    return verifyJwt(idToken, () => this.discovery.keys(), { issuer: d.issuer, audience: this.options.clientId, nonce: opts.nonce, clockToleranceSeconds: this.tolerance });
  }

  /**
   * Verifies an access token for an API. @example await idx.verifyAccessToken(token, { audience: 'api://default' })
   */
  async verifyAccessToken(accessToken: string, opts: { audience?: string } = {}): Promise<JWTPayload> {
    const d = await this.discovery.get();
    return verifyJwt(accessToken, () => this.discovery.keys(), { issuer: d.issuer, audience: opts.audience ?? 'api://default', clockToleranceSeconds: this.tolerance });
  }

  /** Claims about the signed-in user from `v1/userinfo`. @example const me = await idx.getUserInfo(tokens.accessToken) */
  async getUserInfo(accessToken: string): Promise<Record<string, unknown>> {
    return oauthRequest(this.http, `${this.urls.oauthBase}/userinfo`, { headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' } });
  }

  /** New tokens from a refresh token (which rotates: keep the new one). @example await idx.refresh(tokens.refreshToken) */
  async refresh(refreshToken: string): Promise<TokenSet> {
    const res = await postToken(this.http, `${this.urls.oauthBase}/token`, this.options, { grant_type: 'refresh_token', refresh_token: refreshToken });
    const claims = res.id_token ? await this.verifyIdToken(res.id_token) : {};
    return { ...toTokenSet({ ...res, id_token: res.id_token ?? '' } as any, claims), idToken: res.id_token ?? '' };
  }

  /** Revokes a token (RFC 7009); revoking a refresh token also kills its access tokens. @example await idx.revoke(t, 'refresh_token') */
  async revoke(token: string, hint?: 'access_token' | 'refresh_token'): Promise<void> {
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
    if (this.options.clientSecret) headers.authorization = basicAuth(this.options.clientId, this.options.clientSecret);
    await oauthRequest(this.http, `${this.urls.oauthBase}/revoke`, {
      method: 'POST', headers, body: form({ token, token_type_hint: hint, client_id: this.options.clientSecret ? undefined : this.options.clientId }),
    });
  }

  /** Where to send the browser to end the Gatehouse session. @example res.redirect(idx.logoutUrl({ idToken, postLogoutRedirectUri })) */
  logoutUrl(p: { idToken: string; postLogoutRedirectUri?: string; state?: string }): string {
    const url = new URL(`${this.urls.oauthBase}/logout`);
    url.searchParams.set('id_token_hint', p.idToken);
    if (p.postLogoutRedirectUri) url.searchParams.set('post_logout_redirect_uri', p.postLogoutRedirectUri);
    if (p.state) url.searchParams.set('state', p.state);
    return url.href;
  }

  /**
   * Headless sign-in for apps with their own forms: interact, then fill remediations from `values`.
   * @example
   * const r = await idx.authenticate({ username, password });
   * if (r.status === 'SUCCESS') useTokens(r.tokens); else showForm(r.nextStep);
   */
  async authenticate(values: { username: string; password?: string } & Values): Promise<AuthenticateResult> {
    const { context } = this.startInteraction();
    const r = await send(this.http, `${this.urls.oauthBase}/interact`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: form({
        client_id: this.options.clientId, client_secret: this.options.clientSecret, scope: this.scopes.join(' '), redirect_uri: this.options.redirectUri,
        state: context.state, nonce: context.nonce, code_challenge: context.codeChallenge, code_challenge_method: 'S256',
      }),
    });
    if (r.status !== 200 || typeof r.body?.interaction_handle !== 'string') {
      throw new GatehouseError('OAUTH_ERROR', `${r.body?.error ?? 'interact failed'}: ${r.body?.error_description ?? ''}`, { status: r.status, error: r.body?.error ?? 'server_error', error_description: r.body?.error_description });
    }
    const response = await introspect(this.http, this.urls.domain, r.body.interaction_handle);
    return this.proceed({ context, response }, values);
  }

  /**
   * Continues a PENDING headless sign-in with more values (e.g. `{ password }` for a password challenge).
   * @example const r2 = await idx.proceed(r.transaction, { password });
   */
  async proceed(transaction: IdxTransaction, values: Values): Promise<AuthenticateResult> {
    const given = normalise(values);
    let { response } = transaction;
    for (let steps = 0; steps < 10; steps++) {
      const code = interactionCodeOf(response);
      if (code) return { status: 'SUCCESS', tokens: await this.redeemInteractionCode(transaction.context, code) };
      const next = response.remediation?.value[0];
      if (!next) throw new GatehouseError('IDX_ERROR', 'the sign-in ended without a result', { messages: response.messages?.value ?? [] });
      const { body, missing } = fillForm(next.value, given);
      if (missing.length) return { status: 'PENDING', transaction: { ...transaction, response }, nextStep: describe(next, response) };
      response = await submit(this.http, next, body);
    }
    throw new GatehouseError('IDX_ERROR', 'the sign-in did not finish within 10 steps', { messages: [] });
  }
}
