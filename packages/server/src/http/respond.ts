// Serialising results and errors. Three shapes: RFC 6749 JSON for OAuth endpoints, IDX JSON for /idp/idx,
// and Okta's API error object for transport faults on IDX routes.
import type { ServerResponse } from 'node:http';
import { ION_JSON } from '@gatehouse/protocol';
import { randomToken } from '../random.js';
import { OAuthError } from '../oauth/errors.js';
import { HttpError } from './body.js';

export const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}, type = 'application/json') {
  const bytes = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': bytes.length, ...headers });
  res.end(bytes);
}

export function sendBytes(res: ServerResponse, status: number, bytes: Buffer, headers: Record<string, string | number>) {
  res.writeHead(status, { 'Content-Length': bytes.length, ...headers });
  res.end(bytes);
}

export function sendOAuthError(res: ServerResponse, e: OAuthError) {
  sendJson(res, e.status, { error: e.error, error_description: e.description }, { ...NO_STORE, ...e.headers });
}

export function sendIdx(res: ServerResponse, status: number, body: unknown, type = ION_JSON) {
  sendJson(res, status, body, { ...NO_STORE }, type);
}

/** Okta API error object (spec §6.3) for malformed IDX requests. */
export function sendApiError(res: ServerResponse, e: HttpError) {
  // E0000003 is Okta's code for a request body it cannot accept (spec §6.3).
  const code = 'E0000003';
  sendJson(res, e.status, {
    errorCode: code, errorSummary: e.message, errorLink: code, errorId: 'oae' + randomToken(12), errorCauses: [],
  }, { ...NO_STORE, ...e.headers });
}

/** An HttpError on an OAuth endpoint is an RFC 6749 error too (413 keeps its status). */
export function httpErrorAsOAuth(e: HttpError): OAuthError {
  return new OAuthError('invalid_request', e.status, e.message, undefined, e.headers);
}

export function sendHtml(res: ServerResponse, status: number, html: string, headers: Record<string, string> = {}) {
  const bytes = Buffer.from(html);
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8', 'Content-Length': bytes.length, 'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer', 'Cache-Control': 'no-store',
    'Content-Security-Policy': "default-src 'none'; style-src 'self'; img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    ...headers,
  });
  res.end(bytes);
}

export const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

// Error pages share the hosted page's layout (page.ts). Called only at request time, so the import cycle
// (page.ts uses escapeHtml) is harmless.
export { errorPage } from './page.js';
