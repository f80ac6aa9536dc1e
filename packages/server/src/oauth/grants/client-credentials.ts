// client_credentials (RFC 6749 §4.4): a service app gets an access token whose `sub` is its client id.
// No user, so no OIDC scopes and no refresh token.
import type { TokenResponse } from '@gatehouse/protocol';
import type { Deps } from '../../deps.js';
import type { AuthServer } from '../../store/interfaces.js';
import type { ClientAuth } from '../client-auth.js';
import { invalidScope, unauthorizedClient } from '../errors.js';
import { parseScope } from '../scope.js';
import { mintAccessToken } from '../tokens.js';

const USER_SCOPES = new Set(['openid', 'profile', 'email', 'address', 'phone', 'offline_access']);

export async function clientCredentialsGrant(deps: Deps, server: AuthServer, client: ClientAuth, form: Record<string, string>): Promise<TokenResponse> {
  if (client.method === 'none') throw unauthorizedClient({ detail: 'public client asked for client_credentials' });
  const scopes = parseScope(form.scope, server);
  if (scopes.some((s) => USER_SCOPES.has(s))) throw invalidScope({ description: 'The client_credentials grant cannot request user scopes.' });
  const { token } = await mintAccessToken(deps, server, client.app, scopes, null, null);
  await deps.store.events.append({ type: 'token.issue', at: deps.now(), clientId: client.app.clientId, detail: { grant: 'client_credentials' } });
  return { token_type: 'Bearer', expires_in: server.accessTokenTtl, access_token: token, scope: scopes.join(' ') };
}
