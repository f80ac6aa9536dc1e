// One mapping function per table: SQL rows (snake_case, JSON text) to domain records.
import type { App, AuthServer, Grant, IdpSession, OneTimeCode, SigningKey, Transaction, User } from '../interfaces.js';

type Row = Record<string, any>;
const arr = (s: string | null): string[] => (s ? JSON.parse(s) : []);

export const toUser = (r: Row): User => ({
  id: r.id, login: r.login, email: r.email, firstName: r.first_name, lastName: r.last_name, locale: r.locale,
  status: r.status, passwordHash: r.password_hash, failedAttempts: r.failed_attempts, lockedUntil: r.locked_until,
  createdAt: r.created_at, updatedAt: r.updated_at,
});

export const toApp = (r: Row): App => ({
  clientId: r.client_id, name: r.name, type: r.type, secretHash: r.secret_hash, redirectUris: arr(r.redirect_uris),
  postLogoutRedirectUris: arr(r.post_logout_redirect_uris), grantTypes: arr(r.grant_types), authMethod: r.auth_method,
  signIn: r.sign_in, jwks: r.jwks ? JSON.parse(r.jwks) : null, frameAncestors: arr(r.frame_ancestors),
  pkceRequired: r.pkce_required === 1 || r.pkce_required === true, createdAt: r.created_at,
});

export const toServer = (r: Row): AuthServer => ({
  id: r.id, issuerPath: r.issuer_path, audiences: arr(r.audiences), scopes: arr(r.scopes),
  accessTokenTtl: r.access_token_ttl, idTokenTtl: r.id_token_ttl, refreshTokenTtl: r.refresh_token_ttl,
});

export const toKey = (r: Row): SigningKey => ({
  kid: r.kid, status: r.status, publicJwk: JSON.parse(r.public_jwk), privateJwe: r.private_jwe, createdAt: r.created_at,
  removeAfter: r.remove_after,
});

export const toTransaction = (r: Row): Transaction => ({
  id: r.id, stateHandleHash: r.state_handle_hash, interactionHandleHash: r.interaction_handle_hash, clientId: r.client_id,
  authServerId: r.auth_server_id, redirectUri: r.redirect_uri, scopes: arr(r.scopes), state: r.state, nonce: r.nonce,
  codeChallenge: r.code_challenge, kind: r.kind, loginHint: r.login_hint, identifier: r.identifier, step: r.step, userId: r.user_id, amr: arr(r.amr),
  authTime: r.auth_time, rememberMe: r.remember_me === 1 || r.remember_me === true, version: r.version, createdAt: r.created_at, expiresAt: r.expires_at,
});

export const toCode = (r: Row): OneTimeCode => ({
  codeHash: r.code_hash, kind: r.kind, clientId: r.client_id, authServerId: r.auth_server_id, redirectUri: r.redirect_uri,
  scopes: arr(r.scopes), nonce: r.nonce, codeChallenge: r.code_challenge, userId: r.user_id, amr: arr(r.amr),
  authTime: r.auth_time, sessionId: r.session_id, transactionId: r.transaction_id, expiresAt: r.expires_at,
  consumedAt: r.consumed_at, grantId: r.grant_id,
});

export const toGrant = (r: Row): Grant => ({
  id: r.id, clientId: r.client_id, userId: r.user_id, authServerId: r.auth_server_id, scopes: arr(r.scopes), amr: arr(r.amr),
  authTime: r.auth_time, createdAt: r.created_at, revokedAt: r.revoked_at,
});

export const toSession = (r: Row): IdpSession => ({
  id: r.id, idHash: r.id_hash, userId: r.user_id, amr: arr(r.amr), authTime: r.auth_time, expiresAt: r.expires_at,
  revokedAt: r.revoked_at,
});
