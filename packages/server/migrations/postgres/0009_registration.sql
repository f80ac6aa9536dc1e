-- Self-service registration (issue 10): the profile schema's custom attributes (the base ones — email, first and
-- last name, locale — are columns of users), and each user's values for them, as JSON.
CREATE TABLE profile_attributes (
  name TEXT PRIMARY KEY,
  label TEXT NOT NULL,
  required BOOLEAN NOT NULL DEFAULT FALSE,
  max_length INTEGER NOT NULL,
  enum_values TEXT,
  created_at BIGINT NOT NULL
);
ALTER TABLE users ADD COLUMN profile TEXT NOT NULL DEFAULT '{}';
