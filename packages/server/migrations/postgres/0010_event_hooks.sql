-- Event hooks (issue 11): the hooks (their secret sealed under the key vault), the stored event types each one
-- receives (Okta's names expanded to ours, so appending an event matches them in one statement), and the durable
-- delivery queue: one row per hook and event, claimed in batches under a lease, deleted once delivered.
CREATE TABLE event_hooks (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  url TEXT NOT NULL,
  auth_header TEXT NOT NULL,
  auth_value_sealed TEXT,
  events TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('ACTIVE','INACTIVE')),
  verification_status TEXT NOT NULL CHECK (verification_status IN ('UNVERIFIED','VERIFIED')),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  last_delivery_at BIGINT,
  last_attempt_at BIGINT,
  last_error TEXT,
  failures INTEGER NOT NULL DEFAULT 0,
  delivered BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE event_hook_types (
  hook_id TEXT NOT NULL REFERENCES event_hooks(id) ON DELETE CASCADE,
  type TEXT NOT NULL,
  PRIMARY KEY (type, hook_id)
);

CREATE TABLE event_hook_queue (
  id BIGSERIAL PRIMARY KEY,
  hook_id TEXT NOT NULL REFERENCES event_hooks(id) ON DELETE CASCADE,
  event_id BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  lease_owner TEXT,
  lease_until BIGINT
);
CREATE INDEX event_hook_queue_due ON event_hook_queue(next_attempt_at);
CREATE INDEX event_hook_queue_hook ON event_hook_queue(hook_id, id);
