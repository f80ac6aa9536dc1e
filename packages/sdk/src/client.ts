// IdxClient: the seed's client. A thin face that holds the checked configuration; every method is one
// call to a plain function of this package, which can be used and tested on its own.
import type { JWTPayload } from 'jose';
import { resolveConfig, type Endpoints, type GatehouseConfig, type IdxClientOptions } from './config.js';
import { authenticate, proceed, type AuthenticateResult, type IdxTransaction, type StepValues } from './headless.js';
import { startInteraction, type SignInContext, type WidgetConfig } from './interact.js';
import { handleCallback, redeemInteractionCode, refreshTokens, type CallbackParams, type RefreshedTokenSet, type TokenSet } from './redeem.js';
import { logoutUrl, revoke } from './sign-out.js';
import { getUserInfo, type UserInfo } from './userinfo.js';
import { verifyAccessToken, verifyIdToken } from './verify.js';

/**
 * The seed's `IdxClient`. Construction checks the options (CONFIG_ERROR) and makes no network call.
 * @example
 * const idx = new IdxClient({ issuer: 'https://id.example.com/oauth2/default', clientId, clientSecret, redirectUri, scopes: ['openid', 'profile', 'email'] });
 */
export class IdxClient {
  readonly config: GatehouseConfig;

  constructor(options: IdxClientOptions) {
    this.config = resolveConfig(options);
  }

  /** The endpoint URLs derived from the issuer. @example idx.endpoints.userinfo */
  get endpoints(): Endpoints {
    return this.config.endpoints;
  }

  /**
   * Starts a widget sign-in: the context to keep in the session, the widget configuration to render.
   * @example
   * const { context, widgetConfig } = idx.startInteraction();
   */
  startInteraction(): { context: SignInContext; widgetConfig: WidgetConfig } {
    return startInteraction(this.config);
  }

  /**
   * Redeems the callback's interaction code and verifies the ID token (signature, iss, aud, exp, nonce).
   * @example
   * const tokens = await idx.redeemInteractionCode(req.session.signIn, code);
   */
  redeemInteractionCode(context: SignInContext, interactionCode: string): Promise<TokenSet> {
    return redeemInteractionCode(this.config, context, interactionCode);
  }

  /**
   * Checks the callback's `state` (constant time) and `error`, then redeems.
   * @example
   * const tokens = await idx.handleCallback(req.session.signIn, req.query);
   */
  handleCallback(context: SignInContext | undefined, params: CallbackParams): Promise<TokenSet> {
    return handleCallback(this.config, context, params);
  }

  /** Verifies an ID token issued to this client. @example await idx.verifyIdToken(tokens.idToken, { nonce }) */
  verifyIdToken(idToken: string, opts: { nonce?: string } = {}): Promise<JWTPayload> {
    return verifyIdToken(this.config, idToken, opts);
  }

  /** Verifies an access token for an API. @example await idx.verifyAccessToken(bearer, { audience: 'api://default' }) */
  verifyAccessToken(accessToken: string, opts: { audience?: string } = {}): Promise<JWTPayload> {
    return verifyAccessToken(this.config, accessToken, opts);
  }

  /** The user's claims from `v1/userinfo`. @example const me = await idx.getUserInfo(tokens.accessToken) */
  getUserInfo(accessToken: string): Promise<UserInfo> {
    return getUserInfo(this.config, accessToken);
  }

  /** New tokens; the refresh token rotates, keep the new one. @example const next = await idx.refresh(tokens.refreshToken) */
  refresh(refreshToken: string): Promise<RefreshedTokenSet> {
    return refreshTokens(this.config, refreshToken);
  }

  /** Revokes a token (RFC 7009). @example await idx.revoke(tokens.refreshToken, 'refresh_token') */
  revoke(token: string, hint?: 'access_token' | 'refresh_token'): Promise<void> {
    return revoke(this.config, token, hint);
  }

  /** Where to send the browser to end the Gatehouse session. @example res.redirect(idx.logoutUrl({ idToken, postLogoutRedirectUri, state })) */
  logoutUrl(p: { idToken: string; postLogoutRedirectUri?: string; state?: string }): string {
    return logoutUrl(this.config, p);
  }

  /**
   * Headless sign-in for apps with their own forms.
   * @example
   * const r = await idx.authenticate({ username, password });
   * if (r.status === 'PENDING') render(r.nextStep);
   */
  authenticate(values: StepValues & { username?: string; password?: string }): Promise<AuthenticateResult> {
    return authenticate(this.config, values);
  }

  /** Continues a PENDING headless sign-in. @example const r2 = await idx.proceed(r.transaction, { password }) */
  proceed(transaction: IdxTransaction, values: StepValues): Promise<AuthenticateResult> {
    return proceed(this.config, transaction, values);
  }
}
