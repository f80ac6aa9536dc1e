// Request bodies: size-limited before parsing, media type checked, and parsed into plain strings (forms)
// or validated later by schemas (JSON). Form bodies never yield arrays or nested objects.
import type { IncomingMessage } from 'node:http';

export class HttpError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly headers: Record<string, string> = {}) {
    super(message);
  }
}

export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) {
    req.resume();
    throw new HttpError(413, 'payload_too_large', `The request body is larger than ${limit} bytes.`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      req.resume();
      throw new HttpError(413, 'payload_too_large', `The request body is larger than ${limit} bytes.`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeUtf8(buf: Buffer): string {
  try {
    return utf8.decode(buf);
  } catch {
    throw new HttpError(400, 'invalid_request', 'The request body is not valid UTF-8.');
  }
}

/**
 * One form name or value. Stricter than URLSearchParams on purpose: WHATWG decoding keeps a stray `%` as is
 * and turns percent-encoded invalid UTF-8 into U+FFFD, so different bytes would silently become the same
 * string (a `state`, a secret). A broken form is a 400 instead (SECURITY.md, "Parsers build no surprises").
 */
function decodeFormComponent(s: string): string {
  const plus = s.replace(/\+/g, ' ');
  if (!plus.includes('%')) return plus;
  if (/%(?![0-9A-Fa-f]{2})/.test(plus)) throw new HttpError(400, 'invalid_request', 'The request body has a malformed percent-encoding.');
  try {
    return decodeURIComponent(plus);
  } catch {
    throw new HttpError(400, 'invalid_request', 'The request body is not valid UTF-8.');
  }
}

/** application/x-www-form-urlencoded; a repeated parameter is an error (RFC 6749 §3.1). */
export function parseForm(buf: Buffer): Record<string, string> {
  const params: [string, string][] = [];
  for (const pair of decodeUtf8(buf).split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    params.push(eq < 0 ? [decodeFormComponent(pair), ''] : [decodeFormComponent(pair.slice(0, eq)), decodeFormComponent(pair.slice(eq + 1))]);
  }
  const out: Record<string, string> = Object.create(null);
  for (const [k, v] of params) {
    if (k in out) throw new HttpError(400, 'invalid_request', `The ${k.slice(0, 50)} parameter is repeated.`);
    out[k] = v;
  }
  return out;
}

/** JSON object bodies only; `__proto__` and friends stay own data properties and never reach a prototype. */
export function parseJsonObject(buf: Buffer): Record<string, unknown> {
  const text = decodeUtf8(buf);
  let value: unknown;
  try {
    value = JSON.parse(text, (k, v) => (k === '__proto__' || k === 'constructor' || k === 'prototype' ? undefined : v));
  } catch {
    throw new HttpError(400, 'malformed_json', 'The request body was not well-formed.');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new HttpError(400, 'malformed_json', 'The request body must be a JSON object.');
  }
  return value as Record<string, unknown>;
}

export const isFormType = (t: string) => t === 'application/x-www-form-urlencoded';
export const isJsonType = (t: string) => t === 'application/json' || t === 'application/ion+json';
