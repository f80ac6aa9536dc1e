// The SDK's only way onto the network: fetch with a timeout and no redirects, the body read as JSON when
// it is JSON, failures to connect as NETWORK_ERROR, and error answers classified by errors.ts.
import { GatehouseError, errorFromResponse, isSuccess, type ReadResponse } from './errors.js';

export type Fetch = typeof globalThis.fetch;

export interface Transport {
  fetch: Fetch;
  timeoutMs: number;
}

// The IDX media type (spec §7.1); repeated here because the SDK imports only types from @gatehouse/protocol.
export const ION_JSON = 'application/ion+json; okta-version=1.0.0';

export async function send(t: Transport, url: string, init: RequestInit): Promise<ReadResponse> {
  let res: Response;
  let text: string;
  try {
    // No redirects: an OAuth or IDX endpoint that redirects is misconfigured, and following it would
    // carry credentials somewhere else.
    res = await t.fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(t.timeoutMs) });
    text = await res.text();
  } catch (cause) {
    throw new GatehouseError('NETWORK_ERROR', `request to ${new URL(url).origin} failed: ${(cause as Error).message}`, { cause });
  }
  let body: unknown = undefined;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  return { status: res.status, body, wwwAuthenticate: res.headers.get('www-authenticate') };
}

/** An OAuth endpoint: a 2xx answer without `error`, or a thrown OAUTH_ERROR. */
export async function sendOAuth(t: Transport, url: string, init: RequestInit): Promise<unknown> {
  const r = await send(t, url, init);
  const hasError = typeof r.body === 'object' && r.body !== null && 'error' in r.body;
  if (isSuccess(r.status) && !hasError) return r.body;
  throw errorFromResponse(r, 'oauth');
}

/** A form-encoded body; undefined values are left out. */
export function formBody(params: Record<string, string | undefined>): URLSearchParams {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) p.set(k, v);
  return p;
}

/** RFC 6749 §2.3.1: client_secret_basic, with both halves form-urlencoded before base64. */
export function basicAuthorization(clientId: string, clientSecret: string): string {
  const enc = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');
  return 'Basic ' + Buffer.from(`${enc(clientId)}:${enc(clientSecret)}`).toString('base64');
}
