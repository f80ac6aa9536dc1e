// RFC 7662 introspection and RFC 7009 revocation. Both authenticate the client; a dead or foreign token
// introspects as {"active": false} and nothing more; revoking an unknown token is a 200.
import type { Deps } from '../deps.js';
import { endpointBase, issuerOf } from '../deps.js';
import type { AuthServer } from '../store/interfaces.js';
import { sha256 } from '../random.js';
import { authenticateClient } from './client-auth.js';
import { invalidRequest, OAuthError } from './errors.js';
import { verifyAccessToken } from './tokens.js';

const HINTS = new Set(['access_token', 'refresh_token', 'id_token']);

async function client(deps: Deps, server: AuthServer, authorization: string | undefined, form: Record<string, string>, path: string) {
  const c = await authenticateClient(deps, { authorization, form, endpoint: `${endpointBase(deps.cfg, server)}/${path}`, issuer: issuerOf(deps.cfg, server) });
  return c;
}

function tokenParam(form: Record<string, string>) {
  if (!form.token) throw invalidRequest({ description: 'The token parameter is required.' });
  if (form.token_type_hint !== undefined && !HINTS.has(form.token_type_hint)) {
    throw new OAuthError('invalid_request', 400, 'The token_type_hint is not supported.');
  }
  return form.token;
}

export async function introspect(deps: Deps, server: AuthServer, authorization: string | undefined, form: Record<string, string>): Promise<Record<string, unknown>> {
  const { app } = await client(deps, server, authorization, form, 'introspect');
  const token = tokenParam(form);
  const inactive = { active: false };
  if (token.length > 8192) return inactive;
  if (token.split('.').length === 3) {
    try {
      const c = await verifyAccessToken(deps, server, token);
      // A client may introspect its own tokens; a resource server (any other confidential client) too.
      if (c.cid !== app.clientId && app.authMethod === 'none') return inactive;
      return {
        active: true, scope: c.scp.join(' '), username: c.uid ? c.sub : undefined, exp: c.exp, iat: c.iat, sub: c.sub, aud: c.aud,
        iss: c.iss, jti: c.jti, token_type: 'Bearer', client_id: c.cid, uid: c.uid,
      };
    } catch {
      return inactive;
    }
  }
  const found = await deps.store.tokens.findRefreshToken(sha256(token), deps.now());
  if (!found || found.consumedAt !== null || found.grant.revokedAt !== null || found.grant.clientId !== app.clientId || found.grant.authServerId !== server.id) return inactive;
  const user = found.grant.userId ? await deps.store.users.findById(found.grant.userId) : null;
  return {
    active: true, scope: found.grant.scopes.join(' '), username: user?.login, exp: Math.floor(found.expiresAt / 1000),
    iat: Math.floor(found.grant.createdAt / 1000), sub: user?.login, aud: issuerOf(deps.cfg, server), iss: issuerOf(deps.cfg, server),
    token_type: 'refresh_token', client_id: found.grant.clientId, uid: user?.id,
  };
}

export async function revoke(deps: Deps, server: AuthServer, authorization: string | undefined, form: Record<string, string>): Promise<void> {
  const { app } = await client(deps, server, authorization, form, 'revoke');
  const token = tokenParam(form);
  if (token.length > 8192) return;
  const now = deps.now();
  if (token.split('.').length === 3) {
    let claims: { jti?: unknown; cid?: unknown; exp?: unknown };
    try {
      // Only a token we signed and that is still alive can be revoked; verification also proves its `cid`.
      claims = await verifyAccessToken(deps, server, token);
    } catch {
      return; // not a live token of ours: nothing to revoke, and RFC 7009 §2.2 says 200
    }
    if (claims.cid !== app.clientId) return; // another client's token stays valid (RFC 7009 §2.1)
    await deps.store.tokens.revokeJti(String(claims.jti), Number(claims.exp) * 1000, now);
    await deps.store.events.append({ type: 'token.revoke', at: now, clientId: app.clientId, detail: { kind: 'access_token' } });
    return;
  }
  const found = await deps.store.tokens.findRefreshToken(sha256(token), now);
  if (!found || found.grant.clientId !== app.clientId) return;
  // Revoking a refresh token revokes its grant, and with it every access token minted from that grant.
  await deps.store.tokens.revokeGrant(found.grantId, now);
  await deps.store.events.append({ type: 'token.revoke', at: now, userId: found.grant.userId, clientId: app.clientId, detail: { kind: 'refresh_token', grantId: found.grantId } });
}
