// Discovery (OIDC Discovery 1.0), fetched once per client and cached; the JWKS through jose's remote key
// set, which caches keys and refetches on an unknown `kid` (rate limited).
import { createRemoteJWKSet } from 'jose';
import { GatehouseError } from './errors.js';
import { oauthRequest, type HttpOptions } from './http.js';
import type { Urls } from './urls.js';

export interface Discovery {
  issuer: string;
  jwks_uri: string;
  token_endpoint: string;
  userinfo_endpoint: string;
  revocation_endpoint?: string;
  end_session_endpoint?: string;
}

export function discoveryCache(http: HttpOptions, urls: Urls) {
  let doc: Promise<Discovery> | null = null;
  let jwks: ReturnType<typeof createRemoteJWKSet> | null = null;
  const get = () => (doc ??= oauthRequest(http, urls.discovery, { headers: { accept: 'application/json' } }).then((d: Discovery) => {
    if (d.issuer !== urls.issuer) throw new GatehouseError('CONFIG_ERROR', `discovery issuer ${d.issuer} is not the configured issuer ${urls.issuer}`);
    return d;
  }).catch((e) => {
    doc = null; // do not cache a failure
    throw e;
  }));
  return {
    get,
    async keys() {
      const d = await get();
      return (jwks ??= createRemoteJWKSet(new URL(d.jwks_uri), { cacheMaxAge: 10 * 60_000, cooldownDuration: 30_000 }));
    },
  };
}
