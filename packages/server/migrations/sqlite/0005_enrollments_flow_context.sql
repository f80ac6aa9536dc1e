-- Authenticators as modules (issue 15): a user's credentials live in one enrollments table, one row per
-- credential with the authenticator's own JSON config, so a new factor adds rows and never a column. The
-- password moves here from users.password_hash; every user with an email gets an email enrollment.
CREATE TABLE enrollments (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  authenticator TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('ACTIVE','PENDING')),
  config TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_used_at INTEGER
);
CREATE INDEX enrollments_user ON enrollments(user_id);
-- One password and one email per user; other factors (TOTP, WebAuthn) may have several.
CREATE UNIQUE INDEX enrollments_one_per_user ON enrollments(user_id, authenticator) WHERE authenticator IN ('okta_password','okta_email');

INSERT INTO enrollments (id, user_id, authenticator, status, config, created_at)
  SELECT 'lae' || substr(id, 4), id, 'okta_password', 'ACTIVE', json_object('hash', password_hash), created_at FROM users WHERE password_hash IS NOT NULL;
INSERT INTO enrollments (id, user_id, authenticator, status, config, created_at)
  SELECT 'eae' || substr(id, 4), id, 'okta_email', 'ACTIVE', json_object('email', email), created_at FROM users;
ALTER TABLE users DROP COLUMN password_hash;

-- The flow's per-step JSON state (idx/transaction.ts): what was proven, the pending challenge, the intent.
ALTER TABLE transactions ADD COLUMN context TEXT NOT NULL DEFAULT '{}';
UPDATE transactions SET step = 'challenge', context = '{"current":"okta_password"}' WHERE step = 'challenge-password';

-- Where an app receives magic links (spec §4.5); none = codes only.
ALTER TABLE apps ADD COLUMN email_verify_uri TEXT;

-- An administrator's reset: a one-time token (hashed) that starts recovery at the new password.
CREATE TABLE recovery_tokens (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  expires_at INTEGER NOT NULL,
  consumed_at INTEGER,
  created_at INTEGER NOT NULL
);
