// POST {issuer}/v1/interact (spec §5): binds client, redirect URI, scopes, state, nonce and the PKCE
// challenge to a new IDX transaction and returns its interaction_handle. No client authentication is
// required (the widget never sends a secret), but a secret that is sent must be right.
import type { Deps } from '../deps.js';
import { newId, randomToken, sha256, constantTimeEqual } from '../random.js';
import type { App, Assurance, AuthServer, Transaction } from '../store/interfaces.js';
import { stronger } from './advance.js';
import { invalidClient, invalidRequest, unauthorizedClient } from '../oauth/errors.js';
import { isValidChallenge } from '../oauth/pkce.js';
import { parseScope } from '../oauth/scope.js';
import { refuseControlCharacters } from '../oauth/params.js';
import { isRegisteredRedirectUri } from '../oauth/redirect-uri.js';
import { stateHandleFor } from './handles.js';

const MAX_PARAM = 1024;

export interface StartedTransaction {
  tx: Transaction;
  interactionHandle: string;
  stateHandle: string;
}

export async function interact(deps: Deps, server: AuthServer, form: Record<string, string>): Promise<StartedTransaction> {
  const clientId = form.client_id;
  if (!clientId) throw invalidRequest({ description: 'The client_id parameter is required.' });
  if (clientId.length > 200) throw invalidClient({ detail: 'client_id too long' });
  const app = await deps.store.apps.findByClientId(clientId);
  if (!app) throw invalidClient({ detail: 'unknown client at /interact' });
  if (form.client_secret !== undefined && (!app.secretHash || !constantTimeEqual(sha256(form.client_secret), app.secretHash))) {
    throw invalidClient({ detail: 'wrong client secret at /interact' });
  }
  if (!app.grantTypes.includes('interaction_code')) throw unauthorizedClient({ description: 'The client is not authorized to use the interaction code flow.' });
  return startTransaction(deps, server, app, 'interact', form);
}

/**
 * Shared by /interact and the hosted /authorize page: validates and stores the transaction. PKCE: the IDX
 * protocol always requires it; v1/authorize requires it unless the app is a confidential web app that made it
 * optional (admin.ts), and a challenge that is sent must be S256 and well-formed either way. `state` may be
 * left out of v1/authorize only when a challenge binds the response to the request (RFC 9700 §2.1.1).
 */
export async function startTransaction(
  deps: Deps, server: AuthServer, app: App, kind: Transaction['kind'], p: Record<string, string | undefined>,
): Promise<StartedTransaction> {
  refuseControlCharacters(p);
  const redirectUri = p.redirect_uri;
  if (!redirectUri) throw invalidRequest({ description: 'The redirect_uri parameter is required.' });
  if (!isRegisteredRedirectUri(app.redirectUris, redirectUri)) {
    throw invalidRequest({ description: "The 'redirect_uri' parameter must be a Login redirect URI in the client app settings." });
  }
  const challenge = p.code_challenge || null;
  if (challenge) {
    if (p.code_challenge_method !== 'S256') throw invalidRequest({ description: "The code_challenge_method is not supported. Use 'S256'." });
    if (!isValidChallenge(challenge)) throw invalidRequest({ description: 'The code_challenge is malformed.' });
  } else {
    if (kind === 'interact' || app.pkceRequired) throw invalidRequest({ description: 'PKCE code challenge is required.' });
    if (p.code_challenge_method !== undefined) throw invalidRequest({ description: 'A code_challenge_method was sent without a code_challenge.' });
  }
  if (p.scope === undefined || p.scope.trim() === '') throw invalidRequest({ description: 'The scope parameter is required.' });
  const scopes = parseScope(p.scope, server);
  for (const name of ['state', 'nonce', 'login_hint'] as const) {
    if ((p[name]?.length ?? 0) > MAX_PARAM) throw invalidRequest({ description: `The ${name} parameter is too long.` });
  }
  if (!p.state && !(kind === 'authorize' && challenge)) throw invalidRequest({ description: 'The state parameter is required.' });
  const assurance = assuranceOf(p.acr_values);
  const clientId = app.clientId;

  // An administrator's recovery token (identity/admin-reset.ts) opens the flow at the new password: it is
  // consumed here, once, and stands for the mailbox proof.
  let recovery: Pick<Transaction, 'step' | 'context' | 'userId' | 'identifier'> | null = null;
  if (p.recovery_token !== undefined) {
    const userId = p.recovery_token.length <= 200 ? await deps.store.recoveryTokens.consume(sha256(p.recovery_token), deps.now()) : null;
    const user = userId ? await deps.store.users.findById(userId) : null;
    if (!user || user.status !== 'ACTIVE') throw invalidRequest({ description: 'The recovery token is invalid or has expired.' });
    recovery = { step: 'reset-password', context: { intent: 'CREDENTIAL_RECOVERY', satisfied: ['okta_email'], current: 'okta_password', recoveryToken: true }, userId: user.id, identifier: user.login };
  }

  const interactionHandle = randomToken(32);
  const stateHandle = stateHandleFor(deps.vault, interactionHandle);
  const now = deps.now();
  const tx: Transaction = {
    id: newId('itx'), stateHandleHash: sha256(stateHandle), interactionHandleHash: sha256(interactionHandle), clientId,
    authServerId: server.id, redirectUri, scopes, state: p.state || null, nonce: p.nonce || null, codeChallenge: challenge, kind,
    loginHint: p.login_hint || null, identifier: null, step: 'identify', context: assurance ? { assurance } : {}, userId: null, amr: [], authTime: null, rememberMe: false, version: 1,
    createdAt: now, expiresAt: now + deps.cfg.transactionTtlSeconds * 1000, ...recovery,
  };
  await deps.store.transactions.create(tx);
  return { tx, interactionHandle, stateHandle };
}

/**
 * `acr_values` (OIDC Core §3.1.2.1) raises the assurance for this one request (step-up): Okta's names, and
 * `phishing-resistant`. The strongest one understood wins; unknown values are ignored, as the spec allows.
 */
function assuranceOf(acrValues: string | undefined): Assurance | undefined {
  let best: Assurance | undefined;
  for (const v of (acrValues ?? '').split(' ')) {
    const a: Assurance | undefined = v === 'phishing-resistant' || v === 'phr' || v === 'urn:okta:loa:phr' ? 'phishing-resistant'
      : v.startsWith('urn:okta:loa:2fa:') ? 'any-2' : v.startsWith('urn:okta:loa:1fa:') ? 'any-1' : undefined;
    if (a) best = stronger(a, best);
  }
  return best;
}
