// refresh_token grant with rotation on every use (OAuth 2.0 Security BCP §4.14): the old token is consumed
// atomically; a rotated token presented again revokes its whole family (the grant).
import type { TokenResponse } from '@gatehouse/protocol';
import type { Deps } from '../../deps.js';
import type { AuthServer } from '../../store/interfaces.js';
import { randomToken, sha256 } from '../../random.js';
import type { ClientAuth } from '../client-auth.js';
import { invalidGrant, invalidRequest, invalidScope } from '../errors.js';
import { parseScope } from '../scope.js';
import { buildTokenResponse } from '../token-response.js';

export async function refreshTokenGrant(deps: Deps, server: AuthServer, client: ClientAuth, form: Record<string, string>): Promise<TokenResponse> {
  const raw = form.refresh_token;
  if (!raw) throw invalidRequest({ description: 'The refresh_token parameter is required.' });
  if (raw.length > 512) throw invalidGrant({ detail: 'refresh token too long' });
  const now = deps.now();
  const hash = sha256(raw);
  const found = await deps.store.tokens.findRefreshToken(hash, now);
  // Another client's token is refused without being consumed: the presenter is not its owner.
  if (!found || found.grant.clientId !== client.app.clientId || found.grant.authServerId !== server.id) {
    throw invalidGrant({ description: 'The refresh token is invalid or expired.', detail: 'unknown refresh token or other client' });
  }
  let scopes = found.grant.scopes;
  if (form.scope !== undefined) {
    const asked = parseScope(form.scope, server);
    if (asked.some((s) => !found.grant.scopes.includes(s))) throw invalidScope({ description: 'The requested scope exceeds the scope granted.' });
    scopes = asked;
  }
  const next = randomToken(32);
  const outcome = await deps.store.tokens.rotateRefreshToken(hash, now, { tokenHash: sha256(next), grantId: found.grantId, expiresAt: found.expiresAt });
  if (outcome.kind === 'reused') {
    deps.log.warn({ clientId: client.app.clientId, grantId: outcome.grantId }, 'rotated refresh token reused; family revoked');
    await deps.store.events.append({ type: 'token.revoke', at: now, clientId: client.app.clientId, detail: { reason: 'refresh_reuse', grantId: outcome.grantId } });
  }
  if (outcome.kind !== 'rotated') throw invalidGrant({ description: 'The refresh token is invalid or expired.', detail: outcome.kind });
  const grant = outcome.grant;
  const user = grant.userId ? await deps.store.users.findById(grant.userId) : null;
  if (grant.userId && (!user || user.status !== 'ACTIVE')) throw invalidGrant({ detail: 'user no longer active' });
  const body = await buildTokenResponse(deps, { server, app: client.app, grant, user, scopes, nonce: null, refreshToken: next });
  await deps.store.events.append({ type: 'token.issue', at: now, userId: grant.userId, clientId: client.app.clientId, detail: { grant: 'refresh_token', grantId: grant.id } });
  return body;
}
