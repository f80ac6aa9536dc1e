-- Multi-factor sign-in (issue 9): each app says what assurance a sign-in needs and how long a device may be
-- remembered; an enrollment keeps a counter that only goes up (TOTP: the last time step accepted, so a code is
-- never accepted twice; WebAuthn: the authenticator's signature counter, so a clone going back is caught).
ALTER TABLE apps ADD COLUMN assurance TEXT NOT NULL DEFAULT 'any-1';
ALTER TABLE apps ADD COLUMN remember_device_minutes INTEGER NOT NULL DEFAULT 0;
ALTER TABLE enrollments ADD COLUMN counter BIGINT NOT NULL DEFAULT 0;
