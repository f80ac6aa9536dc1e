// What the protocol model receives: plain dependencies passed as arguments, no container.
import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { KeyRing } from './keys/key-ring.js';
import type { KeyVault } from './keys/key-vault.js';
import type { Passwords } from './identity/passwords.js';
import type { AuthServer, Store } from './store/interfaces.js';
import type { Metrics } from './metrics.js';
import type { Mailer } from './mail/mailer.js';

export interface Deps {
  cfg: Readonly<Config>;
  store: Store;
  /** Authorization servers by id, reloaded every few seconds, so `gatehouse server create` needs no restart. */
  servers: ReadonlyMap<string, AuthServer>;
  keys: KeyRing;
  vault: KeyVault;
  passwords: Passwords;
  /** Epoch milliseconds; injected so tests can move time without sleeping. */
  now: () => number;
  log: Logger;
  /** Prometheus figures; a no-op unless a metrics port is configured. */
  metrics: Metrics;
  /** Outgoing mail: SMTP, the development inbox, or off (`enabled` false: offer no flow that needs mail). */
  mail: Mailer;
}

export function issuerOf(cfg: Pick<Config, 'baseUrl'>, server: AuthServer): string {
  return cfg.baseUrl + server.issuerPath;
}

/** Okta's URL shapes: the org server's endpoints live under /oauth2/v1, a custom server's under {issuer}/v1. */
export function endpointBase(cfg: Pick<Config, 'baseUrl'>, server: AuthServer): string {
  return server.issuerPath === '' ? `${cfg.baseUrl}/oauth2/v1` : `${cfg.baseUrl}${server.issuerPath}/v1`;
}

/** The org server's access tokens are for the org itself; a custom server's for its first audience. */
export function accessTokenAudience(cfg: Pick<Config, 'baseUrl'>, server: AuthServer): string {
  return server.audiences[0] ?? cfg.baseUrl;
}
