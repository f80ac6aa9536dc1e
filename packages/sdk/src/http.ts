// The SDK's only way onto the network: fetch with a timeout, and classification of what came back into
// GatehouseError (network failure, OAuth JSON error, IDX error response).
import { GatehouseError } from './errors.js';

export type Fetch = typeof fetch;

export interface HttpOptions {
  fetch: Fetch;
  timeoutMs: number;
}

export async function send(http: HttpOptions, url: string, init: RequestInit): Promise<{ status: number; headers: Headers; body: any }> {
  let res: Response;
  try {
    res = await http.fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(http.timeoutMs) });
  } catch (cause) {
    throw new GatehouseError('NETWORK_ERROR', `request to ${new URL(url).origin} failed: ${(cause as Error).message}`, { cause });
  }
  const text = await res.text();
  let body: any = undefined;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  return { status: res.status, headers: res.headers, body };
}

/** OAuth endpoints: 2xx JSON, or an RFC 6749 error. */
export async function oauthRequest(http: HttpOptions, url: string, init: RequestInit): Promise<any> {
  const r = await send(http, url, init);
  if (r.status >= 200 && r.status < 300 && !(r.body && typeof r.body === 'object' && 'error' in r.body)) return r.body;
  if (r.body && typeof r.body === 'object' && typeof r.body.error === 'string') {
    throw new GatehouseError('OAUTH_ERROR', `${r.body.error}: ${r.body.error_description ?? ''}`.trim(), { status: r.status, error: r.body.error, error_description: r.body.error_description });
  }
  const challenge = r.headers.get('www-authenticate') ?? '';
  const m = /error="([^"]+)"(?:,\s*error_description="([^"]*)")?/.exec(challenge);
  if (m) throw new GatehouseError('OAUTH_ERROR', `${m[1]}: ${m[2] ?? ''}`, { status: r.status, error: m[1], error_description: m[2] });
  throw new GatehouseError('OAUTH_ERROR', `unexpected HTTP ${r.status} from ${new URL(url).pathname}`, { status: r.status, error: 'server_error' });
}

export const form = (params: Record<string, string | undefined>) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) p.set(k, v);
  return p;
};

export const basicAuth = (clientId: string, secret: string) =>
  'Basic ' + Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64');
