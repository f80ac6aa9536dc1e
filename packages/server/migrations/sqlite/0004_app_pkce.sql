-- PKCE per app (RFC 7636, RFC 9700 §2.1.1): public clients always require it; a confidential web app may make it
-- optional for v1/authorize. Apps that existed before this setting keep requiring it: an upgrade never weakens one.
ALTER TABLE apps ADD COLUMN pkce_required INTEGER NOT NULL DEFAULT 1;

-- A v1/authorize request from such an app may carry no PKCE challenge, and one with a challenge may omit state
-- (RFC 9700 §2.1.1), so a transaction's state and code_challenge become optional. SQLite cannot drop NOT NULL
-- in place: the table is rebuilt with its rows (nothing references it).
CREATE TABLE transactions_new (
  id TEXT PRIMARY KEY,
  state_handle_hash TEXT NOT NULL UNIQUE,
  interaction_handle_hash TEXT NOT NULL UNIQUE,
  client_id TEXT NOT NULL REFERENCES apps(client_id) ON DELETE CASCADE,
  auth_server_id TEXT NOT NULL REFERENCES auth_servers(id),
  redirect_uri TEXT NOT NULL,
  scopes TEXT NOT NULL,
  state TEXT,
  nonce TEXT,
  code_challenge TEXT,
  kind TEXT NOT NULL,
  login_hint TEXT,
  identifier TEXT,
  step TEXT NOT NULL,
  user_id TEXT REFERENCES users(id) ON DELETE CASCADE,
  amr TEXT NOT NULL DEFAULT '[]',
  auth_time INTEGER,
  version INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  remember_me INTEGER NOT NULL DEFAULT 0
);
INSERT INTO transactions_new SELECT id, state_handle_hash, interaction_handle_hash, client_id, auth_server_id, redirect_uri, scopes,
  state, nonce, code_challenge, kind, login_hint, identifier, step, user_id, amr, auth_time, version, created_at, expires_at, remember_me
  FROM transactions;
DROP TABLE transactions;
ALTER TABLE transactions_new RENAME TO transactions;
CREATE INDEX transactions_expires ON transactions(expires_at);
