// One mapping function per table: SQL rows (snake_case, JSON text) to domain records, for both databases.
// Booleans come back as 1/0 from SQLite and true/false from PostgreSQL; BIGINTs as numbers (postgres/index.ts).
import type { ApiToken, App, AuditEvent, EventHook, Group, AuthServer, Enrollment, Grant, IdpSession, OneTimeCode, RefreshToken, SigningKey, Transaction, User } from '../interfaces.js';
import type { Row } from './db.js';

const arr = (s: string | null): string[] => (s ? JSON.parse(s) : []);
const bool = (v: unknown): boolean => v === 1 || v === true;

export const toUser = (r: Row): User => ({
  id: r.id, login: r.login, email: r.email, firstName: r.first_name, lastName: r.last_name, locale: r.locale,
  status: r.status, profile: r.profile ? JSON.parse(r.profile) : {}, passwordHash: r.password_config ? JSON.parse(r.password_config).hash ?? null : null, failedAttempts: r.failed_attempts, lockedUntil: r.locked_until,
  createdAt: r.created_at, updatedAt: r.updated_at, activatedAt: r.activated_at ?? null, statusChangedAt: r.status_changed_at ?? null,
  lastLoginAt: r.last_login_at ?? null, passwordChangedAt: r.password_changed_at ?? null, passwordExpired: bool(r.password_expired),
});

export const toApp = (r: Row): App => ({
  clientId: r.client_id, name: r.name, type: r.type, secretHash: r.secret_hash, redirectUris: arr(r.redirect_uris),
  postLogoutRedirectUris: arr(r.post_logout_redirect_uris), grantTypes: arr(r.grant_types), authMethod: r.auth_method,
  signIn: r.sign_in, jwks: r.jwks ? JSON.parse(r.jwks) : null, frameAncestors: arr(r.frame_ancestors),
  pkceRequired: bool(r.pkce_required), emailVerifyUri: r.email_verify_uri ?? null, status: r.status ?? 'ACTIVE',
  assurance: r.assurance ?? 'any-1', rememberDeviceMinutes: r.remember_device_minutes ?? 0, createdAt: r.created_at,
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
  codeChallenge: r.code_challenge, kind: r.kind, loginHint: r.login_hint, identifier: r.identifier, step: r.step, context: r.context ? JSON.parse(r.context) : {}, userId: r.user_id, amr: arr(r.amr),
  authTime: r.auth_time, rememberMe: bool(r.remember_me), version: r.version, createdAt: r.created_at, expiresAt: r.expires_at,
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

/** A refresh token row joined with its grant's columns (`SELECT g.*, r.* …`). */
export const toRefreshToken = (r: Row): RefreshToken & { consumedAt: number | null; grant: Grant } => ({
  tokenHash: r.token_hash, grantId: r.grant_id, expiresAt: r.expires_at, consumedAt: r.consumed_at, grant: toGrant(r),
});

export const toEvent = (r: Row): AuditEvent => ({
  id: Number(r.id), type: r.type, at: r.at, userId: r.user_id, clientId: r.client_id, actorId: r.actor_id ?? null, detail: r.detail ? JSON.parse(r.detail) : undefined,
});

export const toEnrollment = (r: Row): Enrollment => ({
  id: r.id, userId: r.user_id, authenticator: r.authenticator, status: r.status, config: JSON.parse(r.config), counter: Number(r.counter ?? 0), createdAt: r.created_at,
  lastUsedAt: r.last_used_at ?? null,
});

export const toGroup = (r: Row): Group => ({
  id: r.id, name: r.name, description: r.description, createdAt: r.created_at, updatedAt: r.updated_at, membershipUpdatedAt: r.membership_updated_at,
});

export const toApiToken = (r: Row): ApiToken => ({
  id: r.id, name: r.name, tokenHash: r.token_hash, readOnly: bool(r.read_only), createdAt: r.created_at, revokedAt: r.revoked_at ?? null,
});

export const toEventHook = (r: Row): EventHook => ({
  id: r.id, name: r.name, url: r.url, authHeader: r.auth_header, authValueSealed: r.auth_value_sealed ?? null, events: arr(r.events), status: r.status,
  verificationStatus: r.verification_status, createdAt: r.created_at, updatedAt: r.updated_at, lastDeliveryAt: r.last_delivery_at ?? null,
  lastAttemptAt: r.last_attempt_at ?? null, lastError: r.last_error ?? null, failures: Number(r.failures), delivered: Number(r.delivered), pending: Number(r.pending ?? 0),
});
