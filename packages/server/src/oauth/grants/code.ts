// The authorization_code and interaction_code grants share one code store and one redemption: the code is
// consumed atomically together with the grant it buys; a second redemption revokes that grant (RFC 6749
// §4.1.2). Any failed check burns the code, so a stolen code cannot be tried against many verifiers.
import type { TokenResponse } from '@gatehouse/protocol';
import type { Deps } from '../../deps.js';
import type { AuthServer, CodeKind } from '../../store/interfaces.js';
import { newId, randomToken, sha256 } from '../../random.js';
import type { ClientAuth } from '../client-auth.js';
import { invalidGrant, invalidRequest } from '../errors.js';
import { verifyPkce } from '../pkce.js';
import { isSameRedirectUri } from '../redirect-uri.js';
import { buildTokenResponse, wantsRefreshToken } from '../token-response.js';

const NAMES: Record<CodeKind, string> = { interaction_code: 'interaction code', authorization_code: 'authorization code' };

export async function redeemCode(deps: Deps, server: AuthServer, client: ClientAuth, kind: CodeKind, form: Record<string, string>): Promise<TokenResponse> {
  const raw = kind === 'interaction_code' ? form.interaction_code : form.code;
  const param = kind === 'interaction_code' ? 'interaction_code' : 'code';
  if (!raw) throw invalidRequest({ description: `The ${param} parameter is required.` });
  if (raw.length > 512) throw invalidGrant({ description: `The ${NAMES[kind]} is invalid or has expired.`, detail: 'code too long' });
  // A code issued for a PKCE challenge needs its verifier; one issued without (a web app whose PKCE is optional)
  // needs the client's own authentication and must not come with a verifier (RFC 9700 §2.1.1), so a client
  // cannot be tricked into redeeming a code injected from a request it never made.
  if (!form.code_verifier && (client.method === 'none' || kind === 'interaction_code')) throw invalidRequest({ description: 'The code_verifier parameter is required.' });

  const { app } = client;
  let refreshToken: string | null = null;
  let failure = '';
  const now = deps.now();
  const outcome = await deps.store.codes.redeem(sha256(raw), kind, now, (code) => {
    if (code.clientId !== app.clientId) { failure = 'code issued to another client'; return null; }
    if (code.authServerId !== server.id) { failure = 'code issued by another authorization server'; return null; }
    if (kind === 'authorization_code' && (form.redirect_uri === undefined || !isSameRedirectUri(form.redirect_uri, code.redirectUri))) { failure = 'redirect_uri mismatch'; return null; }
    if (kind === 'interaction_code' && form.redirect_uri !== undefined && !isSameRedirectUri(form.redirect_uri, code.redirectUri)) { failure = 'redirect_uri mismatch'; return null; }
    if (code.codeChallenge) {
      if (!form.code_verifier || !verifyPkce(form.code_verifier, code.codeChallenge)) { failure = 'PKCE verification failed'; return null; }
    } else if (kind !== 'authorization_code' || client.method === 'none' || form.code_verifier !== undefined) {
      failure = 'PKCE verification failed'; return null;
    }
    const grantId = newId('gr');
    refreshToken = wantsRefreshToken(app, code.scopes) ? randomToken(32) : null;
    return { grantId, refreshToken: refreshToken ? { tokenHash: sha256(refreshToken), grantId, expiresAt: now + server.refreshTokenTtl * 1000 } : null };
  });

  if (outcome.kind === 'replayed') {
    deps.log.warn({ clientId: app.clientId, grantId: outcome.grantId }, `${NAMES[kind]} replayed; its grant was revoked`);
    await deps.store.events.append({ type: 'token.revoke', at: now, clientId: app.clientId, detail: { reason: 'code_replay', grantId: outcome.grantId } });
    throw invalidGrant({ description: `The ${NAMES[kind]} is invalid or has expired.`, detail: 'code already used' });
  }
  if (outcome.kind === 'invalid') {
    if (failure === 'PKCE verification failed') throw invalidGrant({ description: 'PKCE verification failed.', detail: failure });
    throw invalidGrant({ description: `The ${NAMES[kind]} is invalid or has expired.`, detail: failure || 'unknown or expired code' });
  }
  const { code, grant } = outcome;
  const user = await deps.store.users.findById(code.userId);
  if (!user || user.status !== 'ACTIVE') {
    await deps.store.tokens.revokeGrant(grant.id, now);
    throw invalidGrant({ detail: 'user no longer active' });
  }
  const body = await buildTokenResponse(deps, { server, app, grant, user, scopes: code.scopes, nonce: code.nonce, refreshToken });
  await deps.store.events.append({ type: 'token.issue', at: now, userId: user.id, clientId: app.clientId, detail: { grant: kind, grantId: grant.id } });
  return body;
}
