// The widget's configuration, as Okta's widget v7 takes it where it matters (spec §12.1).
import type { Dictionary } from './i18n.js';

export interface WidgetConfig {
  /** Authorization server, e.g. https://id.example.com/oauth2/default. */
  issuer: string;
  clientId: string;
  redirectUri: string;
  scopes?: string[];
  state?: string;
  nonce?: string;
  /** Backend-held PKCE (the seed's pattern): the widget never sees the verifier and ends in a redirect. */
  codeChallenge?: string;
  codeChallengeMethod?: 'S256';
  /** An admin reset's recovery token (Okta's option name): sent to /v1/interact, the flow opens at the new password. */
  recoveryToken?: string;
  /** Resume a transaction the server already started (the hosted sign-in page). */
  stateToken?: string;
  /**
   * A language tag ('fr', 'pt-BR'); without it, the browser's languages pick. English is in the bundle; ar, de,
   * es, fr, it, ja, nl, pl and pt are fetched from `assets.baseUrl` (Arabic laid out right to left).
   */
  language?: string;
  /** Per-language string overrides: `{ en: { 'primaryauth.title': 'Welcome' } }`; a full dictionary adds a language. */
  i18n?: Record<string, Dictionary>;
  /** Where the language files (i18n-{lang}.json) are served; defaults to the issuer's /widget/{version}/. */
  assets?: { baseUrl?: string };
  /** CSS custom properties, e.g. `{ '--gh-color-primary': '#0a7' }`. */
  theme?: Record<string, string>;
  /** Text shown above the form (plain text). `brand.name` says the same. */
  brandName?: string;
  /** The brand (from `gatehouse brand set`): name and logo above the form, the primary colour on buttons and links. */
  brand?: Brand;
  /** Okta widget option names that mean the same as ours. */
  authParams?: { scopes?: string[]; nonce?: string; state?: string };
  /** Okta's `baseUrl` is accepted; the issuer defaults to `${baseUrl}/oauth2/default`. */
  baseUrl?: string;
  useInteractionCodeFlow?: boolean;
}

/** As `gatehouse brand show --app ID` prints it under `shown`; every part optional. */
export interface Brand {
  name?: string | null;
  /** An https URL; the page's CSP must allow it in img-src. */
  logoUrl?: string | null;
  /** Sets `--gh-color-primary`. */
  primaryColor?: string | null;
  /** The hosted page's background; an embedded widget leaves the page's background to the page. */
  background?: string | null;
}

export interface Tokens {
  accessToken: string;
  idToken?: string;
  refreshToken?: string;
  expiresIn: number;
  scope: string;
  /** Decoded (not verified: the app's backend verifies) ID token claims, for display. */
  idTokenClaims?: Record<string, unknown>;
}

export function normaliseConfig(c: WidgetConfig): WidgetConfig & { scopes: string[] } {
  const issuer = c.issuer ?? (c.baseUrl ? `${c.baseUrl.replace(/\/+$/, '')}/oauth2/default` : undefined);
  if (!issuer) throw new Error('GatehouseSignIn: issuer is required');
  if (!c.clientId) throw new Error('GatehouseSignIn: clientId is required');
  if (!c.redirectUri) throw new Error('GatehouseSignIn: redirectUri is required');
  if (c.codeChallenge && (c.codeChallengeMethod ?? 'S256') !== 'S256') throw new Error('GatehouseSignIn: codeChallengeMethod must be S256');
  return {
    ...c,
    issuer: issuer.replace(/\/+$/, ''),
    scopes: c.scopes ?? c.authParams?.scopes ?? ['openid', 'email'],
    nonce: c.nonce ?? c.authParams?.nonce,
    state: c.state ?? c.authParams?.state,
  };
}
