// CORS for trusted origins only (spec §6.4): the exact origin echoed with credentials and `Vary: Origin`;
// an untrusted, `null`, look-alike or downgraded origin gets no CORS headers at all.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Store } from '../store/interfaces.js';

const ALLOW_HEADERS = 'Accept, Accept-Language, Authorization, Content-Type, X-Okta-User-Agent-Extended, X-Device-Fingerprint, X-Device-Token, DPoP, X-Requested-With';

export function applyCors(store: Store, req: IncomingMessage, res: ServerResponse): boolean | Promise<boolean> {
  res.setHeader('Vary', 'Origin');
  const origin = req.headers.origin;
  // Synchronous when there is nothing to look up: most requests (servers, SDKs) send no Origin.
  if (!origin || origin === 'null' || origin.length > 300) return false;
  return allowOrigin(store, origin, res);
}

async function allowOrigin(store: Store, origin: string, res: ServerResponse): Promise<boolean> {
  if (!(await store.origins.isTrusted(origin))) return false;
  res.setHeader('Access-Control-Allow-Origin', origin);
  res.setHeader('Access-Control-Allow-Credentials', 'true');
  res.setHeader('Access-Control-Expose-Headers', 'WWW-Authenticate, DPoP-Nonce');
  return true;
}

export function answerPreflight(res: ServerResponse, allowed: boolean, methods: string[]) {
  if (allowed) {
    res.setHeader('Access-Control-Allow-Methods', [...methods, 'OPTIONS'].join(', '));
    res.setHeader('Access-Control-Allow-Headers', ALLOW_HEADERS);
    res.setHeader('Access-Control-Max-Age', '600');
  }
  res.statusCode = 204;
  res.end();
}
