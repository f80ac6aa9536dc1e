// Startup problems. Protocol errors live with their protocol: oauth/errors.ts and idx/messages.ts.
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** The store could not be reached or written; the HTTP layer answers 503 and nothing is half-written. */
export class StoreUnavailable extends Error {
  override name = 'StoreUnavailable';
}

/**
 * The database refused a value as data (PostgreSQL class 22: a NUL byte, an over-long string). Input is
 * checked at the edge so this should not happen; when it does, it is the caller's value at fault: a 400,
 * never a 5xx, and nothing written.
 */
export class StoreRejectedValue extends Error {
  override name = 'StoreRejectedValue';
}
