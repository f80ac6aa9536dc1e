// Typed configuration with documented defaults. Validated once at startup; the rest of the code
// receives a frozen object. Every URL Gatehouse prints or signs comes from `baseUrl`, never from a request.
import { isIP } from 'node:net';
import * as os from 'node:os';
import { ConfigError } from './errors.js';

export interface Config {
  /** Public origin of this server, e.g. https://id.example.com. Issuers and IDX hrefs are built from it. */
  baseUrl: string;
  /** Port to listen on (0 = ephemeral). */
  port: number;
  /** Interface to bind. */
  host: string;
  /** Database URL: sqlite:<path> (file created if missing). */
  db: string;
  /** Secret that encrypts signing keys at rest and derives stateHandles. Required in production. */
  secret?: string;
  /** Where a development secret is generated when `secret` is unset. */
  secretFile: string;
  /** argon2id cost. OWASP's recommendation by default; lower it only in tests (`GATEHOUSE_TEST=1`). */
  argon2: { memoryCost: number; timeCost: number; parallelism: number };
  /** Concurrent password hashes; by default one per core, so other requests stay fast under sign-in load. */
  hashConcurrency: number;
  /** IDX transaction lifetime. */
  transactionTtlSeconds: number;
  /** interaction_code / authorization code lifetime. */
  codeTtlSeconds: number;
  /** IdP session lifetime (the single sign-on cookie, which lasts as long as the browser session). */
  sessionTtlSeconds: number;
  /** IdP session lifetime when the user ticked "Keep me signed in" (a persistent cookie). */
  keepSignedInSeconds: number;
  /** Largest request body accepted; larger gets 413. */
  maxBodyBytes: number;
  /** Allowed clock skew when verifying JWTs (client assertions); documented in the README. */
  clockSkewSeconds: number;
  /** pino level. */
  logLevel: string;
  /**
   * Password checks allowed per client IP per minute, counted in the store (0 = no limit). It slows a
   * credential-stuffing run that spreads over many users, which the per-user lockout cannot see.
   */
  signInRateLimitPerMinute: number;
  /** Management API calls allowed per API token per minute (`X-Rate-Limit-*` headers; 429 E0000047 beyond). */
  apiRateLimitPerMinute: number;
  /**
   * Addresses of reverse proxies whose `X-Forwarded-For` is believed, to find the client IP for the rate
   * limit and the audit log. Nobody else's is: from anyone else the socket's address is the client.
   */
  trustedProxies: readonly string[];
  /** Port for GET /metrics (Prometheus); unset = no metrics. Its own port, so it is never public by accident. */
  metricsPort?: number;
  /** Interface for the metrics port. */
  metricsHost: string;
  /** Outgoing mail server, `smtp://host:port` (STARTTLS when offered; required when it carries credentials) or `smtps://user:pass@host:port`; unset = no SMTP. */
  smtpUrl?: string;
  /** The From header of every mail Gatehouse sends; by default `{brandName} <no-reply@{base URL host}>`. */
  mailFrom: { name: string; address: string };
  /** The organisation's name in mails (subject, sender, signature); set it to your own brand. */
  brandName: string;
  /** Keep mail in the development inbox (`GET /dev/inbox`) instead of sending it. Development only: the page shows every code. */
  devInbox: boolean;
  /** Longest a send may hold up a response before it fails with MailSendFailed; tests lower it. */
  mailTimeoutMs: number;
  /**
   * Event hook delivery: each request's time limit, the retry backoff (doubling from retryBaseMs up to retryMaxMs,
   * with jitter), how often each instance looks at the queue when nothing woke it, and events per POST.
   */
  eventHooks: { timeoutMs: number; retryBaseMs: number; retryMaxMs: number; pollMs: number; batchSize: number };
  /** WebAuthn RP ID: the base URL's host by default; set a parent domain (example.com) so passkeys work on the apps' pages too. */
  webauthnRpId?: string;
}

const OWASP_ARGON2 = { memoryCost: 19456, timeCost: 2, parallelism: 1 };
const TEST_ARGON2 = { memoryCost: 1024, timeCost: 1, parallelism: 1 };

export function loadConfig(env: NodeJS.ProcessEnv, overrides: Partial<Config> = {}): Readonly<Config> {
  const port = overrides.port ?? intFrom(env.GATEHOUSE_PORT, 'GATEHOUSE_PORT', 8080);
  const baseUrl = stripSlash(overrides.baseUrl ?? env.GATEHOUSE_BASE_URL ?? `http://localhost:${port}`);
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new ConfigError(`GATEHOUSE_BASE_URL is not a URL: ${baseUrl}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ConfigError('GATEHOUSE_BASE_URL must be http(s)');
  if (url.pathname !== '/' || url.search || url.hash) throw new ConfigError('GATEHOUSE_BASE_URL must be an origin with no path');
  const lowCost = env.GATEHOUSE_TEST === '1' || env.GATEHOUSE_ARGON2_LOW_COST === '1';
  const argon2 = overrides.argon2 ?? {
    memoryCost: intFrom(env.GATEHOUSE_ARGON2_MEMORY_KIB, 'GATEHOUSE_ARGON2_MEMORY_KIB', lowCost ? TEST_ARGON2.memoryCost : OWASP_ARGON2.memoryCost),
    timeCost: intFrom(env.GATEHOUSE_ARGON2_TIME_COST, 'GATEHOUSE_ARGON2_TIME_COST', lowCost ? TEST_ARGON2.timeCost : OWASP_ARGON2.timeCost),
    parallelism: 1,
  };
  if (!lowCost && (argon2.memoryCost < OWASP_ARGON2.memoryCost || argon2.timeCost < OWASP_ARGON2.timeCost)) {
    throw new ConfigError('argon2 cost below the OWASP minimum (m=19456 KiB, t=2) is allowed only with GATEHOUSE_TEST=1');
  }
  const brandName = overrides.brandName ?? env.GATEHOUSE_BRAND_NAME ?? 'Gatehouse';
  const cfg: Config = {
    baseUrl: `${url.protocol}//${url.host}`,
    port,
    host: overrides.host ?? env.GATEHOUSE_HOST ?? '127.0.0.1',
    db: overrides.db ?? env.GATEHOUSE_DB ?? 'sqlite:./data/gatehouse.db',
    secret: overrides.secret ?? env.GATEHOUSE_SECRET,
    secretFile: overrides.secretFile ?? env.GATEHOUSE_SECRET_FILE ?? './data/gatehouse.secret',
    argon2,
    hashConcurrency: overrides.hashConcurrency ?? intFrom(env.GATEHOUSE_HASH_CONCURRENCY, 'GATEHOUSE_HASH_CONCURRENCY', defaultParallelism()),
    transactionTtlSeconds: overrides.transactionTtlSeconds ?? 600,
    codeTtlSeconds: overrides.codeTtlSeconds ?? 60,
    sessionTtlSeconds: overrides.sessionTtlSeconds ?? intFrom(env.GATEHOUSE_SESSION_SECONDS, 'GATEHOUSE_SESSION_SECONDS', 7200),
    keepSignedInSeconds: overrides.keepSignedInSeconds ?? intFrom(env.GATEHOUSE_KEEP_SIGNED_IN_SECONDS, 'GATEHOUSE_KEEP_SIGNED_IN_SECONDS', 7 * 24 * 3600),
    maxBodyBytes: overrides.maxBodyBytes ?? 64 * 1024,
    clockSkewSeconds: overrides.clockSkewSeconds ?? 60,
    logLevel: overrides.logLevel ?? env.GATEHOUSE_LOG_LEVEL ?? 'info',
    signInRateLimitPerMinute: overrides.signInRateLimitPerMinute ?? intFrom(env.GATEHOUSE_SIGNIN_RATE_LIMIT, 'GATEHOUSE_SIGNIN_RATE_LIMIT', 120),
    apiRateLimitPerMinute: overrides.apiRateLimitPerMinute ?? intFrom(env.GATEHOUSE_API_RATE_LIMIT, 'GATEHOUSE_API_RATE_LIMIT', 600),
    trustedProxies: Object.freeze([...(overrides.trustedProxies ?? listFrom(env.GATEHOUSE_TRUSTED_PROXIES))]),
    metricsPort: overrides.metricsPort ?? (env.GATEHOUSE_METRICS_PORT ? intFrom(env.GATEHOUSE_METRICS_PORT, 'GATEHOUSE_METRICS_PORT', 0) : undefined),
    metricsHost: overrides.metricsHost ?? env.GATEHOUSE_METRICS_HOST ?? '127.0.0.1',
    smtpUrl: overrides.smtpUrl ?? (env.GATEHOUSE_SMTP_URL || undefined),
    mailFrom: Object.freeze({ ...(overrides.mailFrom ?? mailFromSetting(env.GATEHOUSE_MAIL_FROM, brandName, url.hostname)) }),
    brandName,
    devInbox: overrides.devInbox ?? env.GATEHOUSE_DEV_INBOX === '1',
    mailTimeoutMs: overrides.mailTimeoutMs ?? 10_000,
    eventHooks: Object.freeze({ timeoutMs: 10_000, retryBaseMs: 5_000, retryMaxMs: 15 * 60_000, pollMs: 2_000, batchSize: 50, ...overrides.eventHooks }),
    webauthnRpId: overrides.webauthnRpId ?? (env.GATEHOUSE_WEBAUTHN_RP_ID || undefined),
  };
  checkMailSettings(cfg);
  if (cfg.secret !== undefined && cfg.secret.length < 32) throw new ConfigError('GATEHOUSE_SECRET must be at least 32 characters');
  return Object.freeze(cfg);
}

// Mail settings end up in headers: a line break in one would let it add headers of its own.
function checkMailSettings(cfg: Config) {
  if (cfg.smtpUrl !== undefined) {
    // The value is never echoed: it may carry the SMTP password.
    let smtp: URL;
    try {
      smtp = new URL(cfg.smtpUrl);
    } catch {
      throw new ConfigError('GATEHOUSE_SMTP_URL is not a URL; expected smtp://host:port or smtps://user:pass@host:port');
    }
    if (smtp.protocol !== 'smtp:' && smtp.protocol !== 'smtps:') throw new ConfigError('GATEHOUSE_SMTP_URL must start with smtp:// or smtps://');
    if (!smtp.hostname) throw new ConfigError('GATEHOUSE_SMTP_URL has no host');
    if ((smtp.pathname !== '' && smtp.pathname !== '/') || smtp.search || smtp.hash) throw new ConfigError('GATEHOUSE_SMTP_URL must be smtp(s)://[user:pass@]host[:port] with no path or query');
    if (smtp.password && !smtp.username) throw new ConfigError('GATEHOUSE_SMTP_URL has a password but no user name');
  }
  if (!cfg.brandName.trim() || /[\r\n]/.test(cfg.brandName)) throw new ConfigError('GATEHOUSE_BRAND_NAME must be a non-empty name on one line');
  if (/[\r\n]/.test(cfg.mailFrom.name) || !ADDRESS.test(cfg.mailFrom.address)) throw new ConfigError('GATEHOUSE_MAIL_FROM must be one address, e.g. "Example <no-reply@example.com>"');
  if (!Number.isInteger(cfg.mailTimeoutMs) || cfg.mailTimeoutMs <= 0) throw new ConfigError('mailTimeoutMs must be a positive integer');
  for (const [k, v] of Object.entries(cfg.eventHooks)) {
    if (!Number.isInteger(v) || v <= 0) throw new ConfigError(`eventHooks.${k} must be a positive integer`);
  }
}

const ADDRESS = /^[^\s<>@",;()\\]+@[^\s<>@",;()\\]+$/;

/**
 * GATEHOUSE_MAIL_FROM: `address` or `Display Name <address>`. Kept as name and address, which nodemailer
 * quotes and encodes itself, so a comma in the name is not read as a second sender.
 */
function mailFromSetting(v: string | undefined, brandName: string, baseHost: string): { name: string; address: string } {
  if (v === undefined || v === '') return { name: brandName, address: `no-reply@${mailDomain(baseHost)}` };
  const named = /^\s*(.*?)\s*<([^<>]*)>\s*$/.exec(v);
  const name = named ? named[1]!.replace(/^"(.*)"$/, '$1') : '';
  const address = named ? named[2]!.trim() : v.trim();
  if (/[\r\n<>]/.test(name) || !ADDRESS.test(address)) throw new ConfigError('GATEHOUSE_MAIL_FROM must be one address, e.g. "Example <no-reply@example.com>"');
  return { name, address };
}

/** An IP literal is written in brackets in an address (RFC 5321 §4.1.3); names are used as they are. */
function mailDomain(hostname: string): string {
  const bare = hostname.replace(/^\[|\]$/g, '');
  const v = isIP(bare);
  return v === 4 ? `[${bare}]` : v === 6 ? `[IPv6:${bare}]` : hostname;
}

function defaultParallelism(): number {
  return Math.max(1, os.availableParallelism());
}

function intFrom(v: string | undefined, name: string, dflt: number): number {
  if (v === undefined || v === '') return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new ConfigError(`${name} must be a non-negative integer, got "${v}"`);
  return n;
}

function listFrom(v: string | undefined): string[] {
  const items = (v ?? '').split(',').map((x) => x.trim()).filter(Boolean);
  for (const ip of items) if (!isIP(ip)) throw new ConfigError(`GATEHOUSE_TRUSTED_PROXIES must list IP addresses, got "${ip}"`);
  return items;
}

function stripSlash(s: string): string {
  return s.endsWith('/') ? s.slice(0, -1) : s;
}
