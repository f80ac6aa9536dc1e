// OAuth 2.0 / OIDC wire constants and shapes (RFC 6749, RFC 7009, RFC 7662, OIDC Core).

export const GRANT_TYPES = [
  'authorization_code',
  'interaction_code',
  'refresh_token',
  'client_credentials',
] as const;
export type GrantType = (typeof GRANT_TYPES)[number];

export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'invalid_token'
  | 'access_denied'
  | 'login_required'
  | 'server_error'
  | 'temporarily_unavailable';

export interface OAuthErrorBody {
  error: OAuthErrorCode;
  error_description: string;
}

export interface TokenResponse {
  token_type: 'Bearer';
  expires_in: number;
  access_token: string;
  scope: string;
  id_token?: string;
  refresh_token?: string;
}

export const INTERACTION_CODE_GRANT = 'interaction_code';
