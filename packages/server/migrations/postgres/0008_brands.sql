-- Brand for the hosted sign-in page and the widget: the org's default (client_id '') and per-app overrides
-- (client_id of the app). A NULL value falls back: an app's to the org's, the org's to the built-in look.
CREATE TABLE brands (
  client_id TEXT PRIMARY KEY,
  name TEXT,
  logo_url TEXT,
  primary_color TEXT,
  background TEXT,
  updated_at BIGINT NOT NULL
);
