-- Gatehouse schema, version 1 (PostgreSQL). Times are epoch milliseconds (BIGINT). Secrets are stored as SHA-256 (base64url).
-- JSON values are TEXT, as in the SQLite schema, so both stores map rows with the same functions.
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  login TEXT NOT NULL,
  login_lower TEXT NOT NULL UNIQUE,
  email TEXT NOT NULL,
  email_lower TEXT NOT NULL UNIQUE,
  first_name TEXT NOT NULL DEFAULT '',
  last_name TEXT NOT NULL DEFAULT '',
  locale TEXT NOT NULL DEFAULT 'en_US',
  status TEXT NOT NULL CHECK (status IN ('ACTIVE','STAGED','SUSPENDED','LOCKED_OUT','DEPROVISIONED')),
  password_hash TEXT,
  failed_attempts BIGINT NOT NULL DEFAULT 0,
  locked_until BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

CREATE TABLE apps (
  client_id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  type TEXT NOT NULL CHECK (type IN ('web','spa','native','service')),
  secret_hash TEXT,
  redirect_uris TEXT NOT NULL,
  post_logout_redirect_uris TEXT NOT NULL,
  grant_types TEXT NOT NULL,
  auth_method TEXT NOT NULL,
  sign_in TEXT NOT NULL,
  jwks TEXT,
  frame_ancestors TEXT NOT NULL DEFAULT '[]',
  created_at BIGINT NOT NULL
);

CREATE TABLE trusted_origins (
  origin TEXT PRIMARY KEY,
  created_at BIGINT NOT NULL
);

CREATE TABLE auth_servers (
  id TEXT PRIMARY KEY,
  issuer_path TEXT NOT NULL UNIQUE,
  audiences TEXT NOT NULL,
  scopes TEXT NOT NULL,
  access_token_ttl BIGINT NOT NULL,
  id_token_ttl BIGINT NOT NULL,
  refresh_token_ttl BIGINT NOT NULL
);
INSERT INTO auth_servers VALUES
  ('org', '', '[]', '["openid","profile","email","address","phone","offline_access"]', 3600, 3600, 7776000),
  ('default', '/oauth2/default', '["api://default"]', '["openid","profile","email","address","phone","offline_access"]', 3600, 3600, 7776000);

CREATE TABLE signing_keys (
  kid TEXT PRIMARY KEY,
  status TEXT NOT NULL CHECK (status IN ('next','active','retired')),
  public_jwk TEXT NOT NULL,
  private_jwe TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  remove_after BIGINT
);
-- At most one active and one next key, whatever races happen.
CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys(status) WHERE status IN ('active','next');

CREATE TABLE key_generation (id INTEGER PRIMARY KEY CHECK (id = 1), gen BIGINT NOT NULL);
INSERT INTO key_generation VALUES (1, 0);

CREATE TABLE transactions (
  id TEXT PRIMARY KEY,
  state_handle_hash TEXT NOT NULL UNIQUE,
  interaction_handle_hash TEXT NOT NULL UNIQUE,
  client_id TEXT NOT NULL REFERENCES apps(client_id) ON DELETE CASCADE,
  auth_server_id TEXT NOT NULL REFERENCES auth_servers(id),
  redirect_uri TEXT NOT NULL,
  scopes TEXT NOT NULL,
  state TEXT NOT NULL,
  nonce TEXT,
  code_challenge TEXT NOT NULL,
  kind TEXT NOT NULL,
  login_hint TEXT,
  identifier TEXT,
  step TEXT NOT NULL,
  user_id TEXT REFERENCES users(id) ON DELETE CASCADE,
  amr TEXT NOT NULL DEFAULT '[]',
  auth_time BIGINT,
  version BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX transactions_expires ON transactions(expires_at);

CREATE TABLE grants (
  id TEXT PRIMARY KEY,
  client_id TEXT NOT NULL,
  user_id TEXT REFERENCES users(id) ON DELETE CASCADE,
  auth_server_id TEXT NOT NULL,
  scopes TEXT NOT NULL,
  amr TEXT NOT NULL DEFAULT '[]',
  auth_time BIGINT,
  created_at BIGINT NOT NULL,
  revoked_at BIGINT
);

CREATE TABLE codes (
  code_hash TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('interaction_code','authorization_code')),
  client_id TEXT NOT NULL,
  auth_server_id TEXT NOT NULL,
  redirect_uri TEXT NOT NULL,
  scopes TEXT NOT NULL,
  nonce TEXT,
  code_challenge TEXT,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  amr TEXT NOT NULL,
  auth_time BIGINT NOT NULL,
  session_id TEXT,
  transaction_id TEXT,
  expires_at BIGINT NOT NULL,
  consumed_at BIGINT,
  grant_id TEXT REFERENCES grants(id)
);

CREATE TABLE refresh_tokens (
  token_hash TEXT PRIMARY KEY,
  grant_id TEXT NOT NULL REFERENCES grants(id) ON DELETE CASCADE,
  expires_at BIGINT NOT NULL,
  consumed_at BIGINT
);
CREATE INDEX refresh_tokens_grant ON refresh_tokens(grant_id);

CREATE TABLE revoked_jtis (
  jti TEXT PRIMARY KEY,
  expires_at BIGINT NOT NULL,
  revoked_at BIGINT NOT NULL
);

CREATE TABLE idp_sessions (
  id TEXT PRIMARY KEY,
  id_hash TEXT NOT NULL UNIQUE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  amr TEXT NOT NULL,
  auth_time BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  revoked_at BIGINT
);

CREATE TABLE events (
  id BIGSERIAL PRIMARY KEY,
  type TEXT NOT NULL,
  at BIGINT NOT NULL,
  user_id TEXT,
  client_id TEXT,
  detail TEXT
);
CREATE INDEX events_at ON events(at);

CREATE TABLE org_policy (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  policy TEXT NOT NULL
);
INSERT INTO org_policy VALUES (1, '{"lockout":{"maxAttempts":10,"durationSeconds":900},"password":{"minLength":8,"excludeUsername":true}}');
