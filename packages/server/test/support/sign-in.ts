// A complete embedded sign-in over raw HTTP that ends in a token response, for tests about tokens.
import type { TestServer } from './start-server.js';
import { signInForCode, token } from './idx-client.js';

export async function signIn(gh: TestServer, p: { clientId: string; clientSecret?: string; redirectUri: string; username: string; password: string; scope?: string }) {
  const s = await signInForCode(gh, p);
  const r = await token(gh, { grant_type: 'interaction_code', interaction_code: s.code, code_verifier: s.verifier, ...(p.clientSecret ? {} : { client_id: p.clientId }) }, p);
  if (r.status !== 200) throw new Error(`token failed: ${JSON.stringify(r.json)}`);
  return r.json as { access_token: string; id_token: string; refresh_token?: string; scope: string; expires_in: number };
}
