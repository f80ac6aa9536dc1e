// OIDC discovery (read for `issuer` and `jwks_uri` only) and the issuer's key set. Discovery is cached per
// discovery URL for an hour (a failure is not cached); the key set is jose's remote JWKS, cached per
// `jwks_uri`, which refetches on an unknown `kid` at most every 30 s so a key rotation is picked up.
import { createRemoteJWKSet, customFetch } from 'jose';
import type { GatehouseConfig } from './config.js';
import { GatehouseError } from './errors.js';
import { sendOAuth, type Fetch } from './http.js';

export interface Discovery {
  issuer: string;
  jwks_uri: string;
  [member: string]: unknown;
}

type KeySet = ReturnType<typeof createRemoteJWKSet>;

const DISCOVERY_TTL_MS = 60 * 60_000;

// Keyed by fetch implementation first so a test's or an app's own fetch never shares another's cache.
const discoveries = new WeakMap<Fetch, Map<string, { at: number; doc: Promise<Discovery> }>>();
const keySets = new WeakMap<Fetch, Map<string, KeySet>>();

function mapFor<V>(cache: WeakMap<Fetch, Map<string, V>>, fetch: Fetch): Map<string, V> {
  let m = cache.get(fetch);
  if (!m) cache.set(fetch, (m = new Map()));
  return m;
}

/**
 * The issuer's discovery document, fetched once and cached. Its `issuer` must equal the configured
 * issuer (OIDC Discovery §4.3), since ID tokens are checked against it.
 * @example
 * const { issuer, jwks_uri } = await getDiscovery(config);
 */
export function getDiscovery(config: GatehouseConfig, now = Date.now()): Promise<Discovery> {
  const cache = mapFor(discoveries, config.fetch);
  const url = config.endpoints.discovery;
  const hit = cache.get(url);
  if (hit && now - hit.at < DISCOVERY_TTL_MS) return hit.doc;
  const doc = fetchDiscovery(config).catch((e: unknown) => {
    cache.delete(url);
    throw e;
  });
  cache.set(url, { at: now, doc });
  return doc;
}

async function fetchDiscovery(config: GatehouseConfig): Promise<Discovery> {
  const d = await sendOAuth(config, config.endpoints.discovery, { headers: { accept: 'application/json' } });
  if (typeof d !== 'object' || d === null) throw new GatehouseError('CONFIG_ERROR', `no discovery document at ${config.endpoints.discovery}`);
  const doc = d as Partial<Discovery>;
  if (doc.issuer !== config.endpoints.issuer) {
    throw new GatehouseError('CONFIG_ERROR', `discovery names issuer ${String(doc.issuer)}, not the configured ${config.endpoints.issuer}`);
  }
  if (typeof doc.jwks_uri !== 'string') throw new GatehouseError('CONFIG_ERROR', 'discovery has no jwks_uri');
  return doc as Discovery;
}

/**
 * The issuer's signing keys (from discovery's `jwks_uri`), as a jose key resolver.
 * @example
 * await jwtVerify(token, await getKeySet(config), { algorithms: ['RS256'] });
 */
export async function getKeySet(config: GatehouseConfig): Promise<KeySet> {
  const { jwks_uri } = await getDiscovery(config);
  const cache = mapFor(keySets, config.fetch);
  let keys = cache.get(jwks_uri);
  if (!keys) {
    const own = config.fetch === globalThis.fetch ? {} : { [customFetch]: config.fetch };
    keys = createRemoteJWKSet(new URL(jwks_uri), { cacheMaxAge: 10 * 60_000, cooldownDuration: 30_000, timeoutDuration: config.timeoutMs, ...own });
    cache.set(jwks_uri, keys);
  }
  return keys;
}
