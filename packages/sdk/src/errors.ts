// The SDK's one error class, with a string `code` so callers `switch (err.code)`, and the one place that
// decides what a server's error answer is: an IDX error (non-2xx JSON with `version`) or an OAuth error
// (JSON with `error`, or a bearer `WWW-Authenticate` challenge). What the server said is carried through
// unchanged; nothing here retries or recovers.
import type { IdxField, IdxMessage } from '@gatehouse/protocol';

export type GatehouseErrorCode = 'IDX_ERROR' | 'OAUTH_ERROR' | 'NETWORK_ERROR' | 'TOKEN_INVALID' | 'STATE_MISMATCH' | 'CONFIG_ERROR';

export interface GatehouseErrorDetails {
  status?: number;
  error?: string;
  error_description?: string;
  messages?: IdxMessage[];
  cause?: unknown;
}

/**
 * Every failure the SDK reports. `code` says which kind; the other members are set when they apply.
 * @example
 * try { await idx.handleCallback(ctx, req.query); }
 * catch (e) { if (e instanceof GatehouseError && e.code === 'STATE_MISMATCH') return res.status(400).send('Start again'); throw e; }
 */
export class GatehouseError extends Error {
  override readonly name = 'GatehouseError';
  /** HTTP status, when a server answered (IDX_ERROR, OAUTH_ERROR). */
  readonly status?: number;
  /** OAuth `error` as the server sent it (OAUTH_ERROR), e.g. `invalid_grant`. */
  readonly error?: string;
  /** OAuth `error_description` as the server sent it (OAUTH_ERROR). */
  readonly error_description?: string;
  /** The IDX messages (IDX_ERROR), global then per-field, e.g. `i18n.key === 'errors.E0000004'` for a failed sign-in. */
  readonly messages?: IdxMessage[];

  constructor(readonly code: GatehouseErrorCode, message: string, details: GatehouseErrorDetails = {}) {
    super(message, details.cause !== undefined ? { cause: details.cause } : undefined);
    this.status = details.status;
    this.error = details.error;
    this.error_description = details.error_description;
    this.messages = details.messages;
  }
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A response as the transport read it: status, parsed JSON (or text), and the bearer challenge if any. */
export interface ReadResponse {
  status: number;
  body: unknown;
  wwwAuthenticate?: string | null;
}

/**
 * Classifies a server's error answer. `area` only decides the code of an answer that is neither IDX nor
 * OAuth shaped (a proxy's HTML page, an Okta API error object on an IDX route).
 * @example
 * throw errorFromResponse({ status: 400, body: { error: 'invalid_grant' } }, 'oauth'); // OAUTH_ERROR
 */
export function errorFromResponse(res: ReadResponse, area: 'idx' | 'oauth'): GatehouseError {
  const { status, body } = res;
  if (isObject(body) && typeof body.version === 'string' && !isSuccess(status)) {
    const messages = idxMessagesOf(body);
    return new GatehouseError('IDX_ERROR', messages.map((m) => m.message).join(' ') || `IDX request failed (HTTP ${status})`, { status, messages });
  }
  if (isObject(body) && typeof body.error === 'string') {
    const description = typeof body.error_description === 'string' ? body.error_description : undefined;
    return oauthError(status, body.error, description);
  }
  // RFC 6750 §3: a bearer endpoint may answer 401 with only a WWW-Authenticate challenge.
  const challenge = /error="([^"]+)"(?:,\s*error_description="([^"]*)")?/.exec(res.wwwAuthenticate ?? '');
  if (challenge) return oauthError(status, challenge[1], challenge[2]);
  if (area === 'idx') {
    // Transport faults on IDX routes use the Okta API error object (errorCode, errorSummary), not IDX messages.
    const summary = isObject(body) && typeof body.errorSummary === 'string' ? `: ${body.errorSummary}` : '';
    return new GatehouseError('IDX_ERROR', `IDX request failed (HTTP ${status})${summary}`, { status, messages: [] });
  }
  return new GatehouseError('OAUTH_ERROR', `unexpected answer (HTTP ${status})`, { status, error: 'server_error' });
}

function oauthError(status: number, error: string, description: string | undefined): GatehouseError {
  return new GatehouseError('OAUTH_ERROR', description ? `${error}: ${description}` : error, { status, error, error_description: description });
}

export const isSuccess = (status: number) => status >= 200 && status < 300;

/** Global messages, then the messages inside form fields, as okta-auth-js collects them. */
function idxMessagesOf(body: Json): IdxMessage[] {
  const out: IdxMessage[] = [];
  const push = (m: unknown) => { if (isObject(m) && Array.isArray(m.value)) out.push(...(m.value as IdxMessage[])); };
  push(body.messages);
  const walk = (fields: IdxField[] = []) => {
    for (const f of fields) {
      push(f.messages);
      if (f.form) walk(f.form.value);
    }
  };
  const remediation = body.remediation;
  if (isObject(remediation) && Array.isArray(remediation.value)) for (const form of remediation.value as { value?: IdxField[] }[]) walk(form.value);
  return out;
}
