-- The management API (issue 11): API tokens (stored hashed), groups and their members, the dates and states Okta's
-- user object carries, an app's ACTIVE/INACTIVE status, and who did what in the audit log (the API token).
CREATE TABLE api_tokens (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  read_only BOOLEAN NOT NULL DEFAULT FALSE,
  created_at BIGINT NOT NULL,
  revoked_at BIGINT
);

CREATE TABLE org_groups (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  name_lower TEXT NOT NULL UNIQUE,
  description TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  membership_updated_at BIGINT NOT NULL
);
CREATE INDEX org_groups_page ON org_groups(created_at, id);

CREATE TABLE group_members (
  group_id TEXT NOT NULL REFERENCES org_groups(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (group_id, user_id)
);
CREATE INDEX group_members_user ON group_members(user_id);

ALTER TABLE users ADD COLUMN activated_at BIGINT;
ALTER TABLE users ADD COLUMN status_changed_at BIGINT;
ALTER TABLE users ADD COLUMN last_login_at BIGINT;
ALTER TABLE users ADD COLUMN password_changed_at BIGINT;
ALTER TABLE users ADD COLUMN password_expired BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE users SET activated_at = created_at WHERE status <> 'STAGED';
CREATE INDEX users_page ON users(created_at, id);

ALTER TABLE apps ADD COLUMN status TEXT NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE','INACTIVE'));

ALTER TABLE events ADD COLUMN actor_id TEXT;
