// Startup problems. Protocol errors live with their protocol: oauth/errors.ts and idx/messages.ts.
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** The store could not be reached or written; the HTTP layer answers 503 and nothing is half-written. */
export class StoreUnavailable extends Error {
  override name = 'StoreUnavailable';
}
