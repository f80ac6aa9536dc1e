// The widget's HTTP calls: /v1/interact (form-encoded), /idp/idx/introspect, any IDX form's href, and the
// token endpoint in relying-party mode. IDX calls carry credentials (the IdP session cookie).
import type { IdxForm, IdxResponse } from '@gatehouse/protocol';

export const ION = 'application/ion+json; okta-version=1.0.0';

export class WidgetError extends Error {
  constructor(readonly kind: 'network' | 'oauth' | 'unexpected', message: string, readonly error?: string, readonly description?: string) {
    super(message);
  }
}

export interface IdxResult {
  ok: boolean;
  status: number;
  body: IdxResponse;
}

async function call(url: string, init: RequestInit): Promise<{ status: number; body: any }> {
  let res: Response;
  try {
    res = await fetch(url, init);
  } catch (e) {
    throw new WidgetError('network', String(e));
  }
  const text = await res.text();
  let body: any;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: res.status, body };
}

function asIdx(r: { status: number; body: any }): IdxResult {
  if (r.body && typeof r.body === 'object' && r.body.version) return { ok: r.status >= 200 && r.status < 300, status: r.status, body: r.body };
  if (r.body && typeof r.body.error === 'string') throw new WidgetError('oauth', r.body.error, r.body.error, r.body.error_description);
  throw new WidgetError('unexpected', `unexpected answer (HTTP ${r.status})`);
}

export function domainOf(issuer: string): string {
  const i = issuer.indexOf('/oauth2');
  return (i >= 0 ? issuer.slice(0, i) : issuer).replace(/\/+$/, '');
}

export function oauthBase(issuer: string): string {
  const clean = issuer.replace(/\/+$/, '');
  return clean.includes('/oauth2') ? `${clean}/v1` : `${clean}/oauth2/v1`;
}

export async function interact(issuer: string, params: Record<string, string | undefined>): Promise<string> {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) body.set(k, v);
  const r = await call(`${oauthBase(issuer)}/interact`, { method: 'POST', credentials: 'include', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body });
  if (r.status === 200 && typeof r.body?.interaction_handle === 'string') return r.body.interaction_handle;
  throw new WidgetError('oauth', r.body?.error ?? 'interact_failed', r.body?.error, r.body?.error_description);
}

export async function introspect(issuer: string, by: { interactionHandle: string } | { stateToken: string }): Promise<IdxResult> {
  return asIdx(await call(`${domainOf(issuer)}/idp/idx/introspect`, { method: 'POST', credentials: 'include', headers: { 'content-type': ION, accept: ION }, body: JSON.stringify(by) }));
}

export async function submit(form: IdxForm, body: Record<string, unknown>): Promise<IdxResult> {
  return asIdx(await call(form.href, { method: 'POST', credentials: 'include', headers: { 'content-type': 'application/json', accept: form.accepts ?? ION }, body: JSON.stringify(body) }));
}

export async function exchangeCode(issuer: string, params: Record<string, string>): Promise<Record<string, string>> {
  const r = await call(`${oauthBase(issuer)}/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body: new URLSearchParams(params) });
  if (r.status === 200 && r.body?.access_token) return r.body;
  throw new WidgetError('oauth', r.body?.error ?? 'token_failed', r.body?.error, r.body?.error_description);
}
