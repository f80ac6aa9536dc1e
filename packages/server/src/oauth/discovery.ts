// OIDC discovery / RFC 8414 metadata. Lists only what Gatehouse really supports. Built once per server and
// served as pre-serialised bytes.
import type { Config } from '../config.js';
import { endpointBase } from '../deps.js';
import type { AuthServer } from '../store/interfaces.js';

export function discoveryDocument(cfg: Pick<Config, 'baseUrl'>, server: AuthServer): Record<string, unknown> {
  const issuer = cfg.baseUrl + server.issuerPath;
  const base = endpointBase(cfg, server);
  const authMethods = ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'];
  return {
    issuer,
    authorization_endpoint: `${base}/authorize`,
    token_endpoint: `${base}/token`,
    userinfo_endpoint: `${base}/userinfo`,
    jwks_uri: `${base}/keys`,
    introspection_endpoint: `${base}/introspect`,
    revocation_endpoint: `${base}/revoke`,
    end_session_endpoint: `${base}/logout`,
    interaction_endpoint: `${base}/interact`,
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials', 'interaction_code'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    scopes_supported: server.scopes,
    token_endpoint_auth_methods_supported: authMethods,
    token_endpoint_auth_signing_alg_values_supported: ['RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384', 'EdDSA'],
    introspection_endpoint_auth_methods_supported: authMethods,
    revocation_endpoint_auth_methods_supported: authMethods,
    claims_supported: ['iss', 'ver', 'sub', 'aud', 'iat', 'exp', 'jti', 'auth_time', 'amr', 'acr', 'idp', 'nonce', 'name', 'given_name',
      'family_name', 'preferred_username', 'email', 'email_verified', 'locale', 'updated_at', 'at_hash'],
    code_challenge_methods_supported: ['S256'],
    authorization_response_iss_parameter_supported: true,
    acr_values_supported: ['urn:okta:loa:1fa:any', 'urn:okta:loa:2fa:any', 'phishing-resistant'],
    prompt_values_supported: ['none', 'login'],
    request_parameter_supported: false,
    claims_parameter_supported: false,
  };
}
