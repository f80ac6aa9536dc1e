-- "Keep me signed in" (identify's rememberMe) is chosen at identify and used when the sign-in succeeds,
-- possibly steps later (identifier first), so the transaction carries it.
ALTER TABLE transactions ADD COLUMN remember_me INTEGER NOT NULL DEFAULT 0;
