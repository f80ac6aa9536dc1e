// Client authentication at the token, introspection and revocation endpoints (RFC 6749 §2.3, RFC 7523 §3):
// client_secret_basic, client_secret_post, private_key_jwt and none (public clients). Exactly one method per
// request. Secrets are compared as SHA-256 in constant time.
import { createLocalJWKSet, jwtVerify } from 'jose';
import type { Deps } from '../deps.js';
import type { App } from '../store/interfaces.js';
import { constantTimeEqual, sha256 } from '../random.js';
import { invalidClient, invalidRequest } from './errors.js';
import { CONTROL } from './params.js';

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export interface ClientAuth {
  app: App;
  /** How the client proved itself; 'none' for a public client that only named itself. */
  method: 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt' | 'none';
}

export interface AuthInput {
  authorization?: string;
  form: Record<string, string>;
  /** The endpoint URL, the audience a client assertion must name. */
  endpoint: string;
  issuer: string;
}

export async function authenticateClient(deps: Deps, input: AuthInput): Promise<ClientAuth> {
  const { form } = input;
  let basic: { id: string; secret: string | null } | null = null;
  if (input.authorization) {
    const m = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(input.authorization.trim());
    if (!m) throw invalidClient({ basic: true, detail: 'unsupported Authorization scheme' });
    const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    // RFC 6749 §2.3.1: both halves are form-urlencoded. auth-js sends "client_id" with no colon for public clients.
    try {
      basic = colon < 0
        ? { id: decodeURIComponent(decoded.replace(/\+/g, ' ')), secret: null }
        : { id: decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' ')), secret: decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' ')) };
    } catch {
      throw invalidClient({ basic: true, detail: 'malformed Basic credentials' });
    }
  }
  const methods = [basic?.secret != null, form.client_secret !== undefined, form.client_assertion !== undefined].filter(Boolean).length;
  if (methods > 1) throw invalidRequest({ description: 'Only one client authentication method may be used.' });
  if (basic && form.client_id !== undefined && form.client_id !== basic.id) {
    throw invalidRequest({ description: 'client_id does not match the authenticated client.' });
  }
  const clientId = basic?.id ?? form.client_id ?? (form.client_assertion ? assertionSubject(form.client_assertion) : undefined);
  if (!clientId) throw invalidClient({ basic: !!basic, detail: 'no client_id' });
  if (clientId.length > 200 || CONTROL.test(clientId)) throw invalidClient({ basic: !!basic, detail: 'client_id too long or with control characters' });
  const app = await deps.store.apps.findByClientId(clientId);
  if (!app) throw invalidClient({ basic: !!basic, detail: 'unknown client' });

  if (form.client_assertion !== undefined) {
    if (form.client_assertion_type !== JWT_BEARER) throw invalidClient({ detail: 'unsupported client_assertion_type' });
    if (app.authMethod !== 'private_key_jwt' || !app.jwks) throw invalidClient({ detail: 'client is not registered for private_key_jwt' });
    await verifyAssertion(deps, app, form.client_assertion, input);
    return { app, method: 'private_key_jwt' };
  }
  const secret = basic?.secret ?? form.client_secret;
  if (secret != null) {
    if (!app.secretHash || !constantTimeEqual(sha256(secret), app.secretHash)) throw invalidClient({ basic: !!basic, detail: 'wrong client secret' });
    return { app, method: basic ? 'client_secret_basic' : 'client_secret_post' };
  }
  if (app.authMethod !== 'none') throw invalidClient({ basic: !!basic, detail: 'confidential client sent no credentials' });
  return { app, method: 'none' };
}

function assertionSubject(assertion: string): string | undefined {
  try {
    const payload = JSON.parse(Buffer.from(assertion.split('.')[1] ?? '', 'base64url').toString('utf8'));
    return typeof payload.sub === 'string' ? payload.sub : undefined;
  } catch {
    return undefined;
  }
}

async function verifyAssertion(deps: Deps, app: App, assertion: string, input: AuthInput) {
  try {
    const { payload } = await jwtVerify(assertion, createLocalJWKSet(app.jwks as any), {
      algorithms: ['RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384', 'EdDSA'],
      issuer: app.clientId,
      subject: app.clientId,
      audience: [input.endpoint, input.issuer],
      currentDate: new Date(deps.now()),
      clockTolerance: deps.cfg.clockSkewSeconds,
      requiredClaims: ['exp', 'jti'],
    });
    // A client assertion is single-use (RFC 7523 §3): remember its jti until it expires. Claimed by the insert
    // itself (never check-then-insert), so two instances racing with one assertion cannot both succeed.
    const key = `ca:${app.clientId}:${payload.jti}`;
    if (!(await deps.store.tokens.revokeJti(key, (payload.exp! + deps.cfg.clockSkewSeconds) * 1000, deps.now()))) throw new Error('assertion replayed');
  } catch (e) {
    throw invalidClient({ detail: `client assertion rejected: ${(e as Error).message}` });
  }
}
