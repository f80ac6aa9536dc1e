// POST {issuer}/v1/token: authenticate the client, check the app may use the grant, dispatch.
import type { TokenResponse } from '@gatehouse/protocol';
import type { Deps } from '../deps.js';
import { endpointBase, issuerOf } from '../deps.js';
import type { AuthServer } from '../store/interfaces.js';
import { authenticateClient } from './client-auth.js';
import { invalidRequest, unauthorizedClient, unsupportedGrantType } from './errors.js';
import { clientCredentialsGrant } from './grants/client-credentials.js';
import { redeemCode } from './grants/code.js';
import { refreshTokenGrant } from './grants/refresh-token.js';

const SUPPORTED = new Set(['authorization_code', 'interaction_code', 'refresh_token', 'client_credentials']);

export async function tokenEndpoint(deps: Deps, server: AuthServer, authorization: string | undefined, form: Record<string, string>): Promise<TokenResponse> {
  const grantType = form.grant_type;
  if (!grantType) throw invalidRequest({ description: 'The grant_type parameter is required.' });
  if (!SUPPORTED.has(grantType)) throw unsupportedGrantType({ detail: grantType.slice(0, 100) });
  const client = await authenticateClient(deps, { authorization, form, endpoint: `${endpointBase(deps.cfg, server)}/token`, issuer: issuerOf(deps.cfg, server) });
  if (!client.app.grantTypes.includes(grantType)) {
    throw unauthorizedClient({ description: `The client is not authorized to use the provided grant type. Configured grant types: [${client.app.grantTypes.join(', ')}].` });
  }
  switch (grantType) {
    case 'interaction_code':
      return redeemCode(deps, server, client, 'interaction_code', form);
    case 'authorization_code':
      return redeemCode(deps, server, client, 'authorization_code', form);
    case 'refresh_token':
      return refreshTokenGrant(deps, server, client, form);
    default:
      return clientCredentialsGrant(deps, server, client, form);
  }
}
