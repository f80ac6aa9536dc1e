// Starting a sign-in: the context the app keeps (PKCE verifier, state, nonce) and the widget's
// configuration (the seed's "start widget sign-in"), plus the /v1/interact call headless sign-in makes
// itself. The verifier never leaves the app: the widget gets only the challenge.
import type { GatehouseConfig } from './config.js';
import { GatehouseError } from './errors.js';
import { formBody, sendOAuth } from './http.js';
import { createPkce, randomToken } from './pkce.js';

/** What the app keeps in its session between starting a sign-in and the callback. Secret: never send it to the page. */
export interface SignInContext {
  codeVerifier: string;
  codeChallenge: string;
  state: string;
  nonce: string;
  /** Milliseconds since the epoch. */
  createdAt: number;
}

/** What the page needs to render the widget. Holds no secret. */
export interface WidgetConfig {
  issuer: string;
  clientId: string;
  redirectUri: string;
  scopes: string[];
  state: string;
  /**
   * The widget forwards it to /v1/interact (spec §5.1, widget option `nonce`), so the ID token carries
   * this sign-in's nonce and `redeemInteractionCode` can check it. Not a secret.
   */
  nonce: string;
  codeChallenge: string;
  codeChallengeMethod: 'S256';
}

/**
 * Starts a widget sign-in. No network call: the widget calls /v1/interact itself with this challenge.
 * @example
 * const { context, widgetConfig } = startInteraction(config);
 * req.session.signIn = context; // then render the widget with widgetConfig
 */
export function startInteraction(config: GatehouseConfig, now = Date.now()): { context: SignInContext; widgetConfig: WidgetConfig } {
  const { codeVerifier, codeChallenge } = createPkce();
  const context: SignInContext = { codeVerifier, codeChallenge, state: randomToken(), nonce: randomToken(), createdAt: now };
  const widgetConfig: WidgetConfig = {
    issuer: config.endpoints.issuer, clientId: config.clientId, redirectUri: config.redirectUri, scopes: [...config.scopes],
    state: context.state, nonce: context.nonce, codeChallenge, codeChallengeMethod: 'S256',
  };
  return { context, widgetConfig };
}

/**
 * POST /v1/interact for a context (spec §5.1) and return the `interaction_handle` to introspect.
 * @example
 * const handle = await interact(config, startInteraction(config).context);
 */
export async function interact(config: GatehouseConfig, context: SignInContext): Promise<string> {
  const body = await sendOAuth(config, config.endpoints.interact, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: formBody({
      client_id: config.clientId, client_secret: config.clientSecret, scope: config.scopes.join(' '), redirect_uri: config.redirectUri,
      state: context.state, nonce: context.nonce, code_challenge: context.codeChallenge, code_challenge_method: 'S256',
    }),
  });
  const handle = (body as { interaction_handle?: unknown } | undefined)?.interaction_handle;
  if (typeof handle !== 'string' || !handle) throw new GatehouseError('OAUTH_ERROR', 'interact answered without an interaction_handle', { error: 'server_error' });
  return handle;
}
