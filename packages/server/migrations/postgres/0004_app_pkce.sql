-- PKCE per app (RFC 7636, RFC 9700 §2.1.1): public clients always require it; a confidential web app may make it
-- optional for v1/authorize. Apps that existed before this setting keep requiring it: an upgrade never weakens one.
ALTER TABLE apps ADD COLUMN pkce_required BOOLEAN NOT NULL DEFAULT TRUE;

-- A v1/authorize request from such an app may carry no PKCE challenge, and one with a challenge may omit state
-- (RFC 9700 §2.1.1), so a transaction's state and code_challenge become optional.
ALTER TABLE transactions ALTER COLUMN state DROP NOT NULL, ALTER COLUMN code_challenge DROP NOT NULL;
