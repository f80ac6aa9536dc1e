-- Fixed-window counters for rate limits (per client IP for password checks). One row per bucket: the
-- window it counts and how many hits fell in it. Kept in the store, so every instance shares them.
CREATE TABLE rate_limits (
  bucket TEXT PRIMARY KEY,
  window_start INTEGER NOT NULL,
  hits INTEGER NOT NULL
);
CREATE INDEX rate_limits_window ON rate_limits(window_start);
