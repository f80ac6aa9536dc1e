// Headless sign-in for apps with their own forms: follow IDX remediations generically, filling each form
// from the values given (username -> identifier, password -> credentials.passcode) and echoing immutable
// fields such as stateHandle, until the server returns an interaction code or asks for something the
// values cannot answer.
import type { IdxField, IdxForm, IdxMessage, IdxResponse } from '@gatehouse/protocol';
import { ION_JSON } from '@gatehouse/protocol';
import { GatehouseError } from './errors.js';
import { send, type HttpOptions } from './http.js';

export interface StepInput {
  name: string;
  label?: string;
  type?: string;
  required?: boolean;
  secret?: boolean;
}

export interface NextStep {
  /** The remediation name, e.g. `identify` or `challenge-authenticator`. */
  name: string;
  inputs: StepInput[];
  messages: IdxMessage[];
}

export type Values = Record<string, unknown>;

/** Field aliases, as okta-auth-js maps them. */
const ALIASES: Record<string, string> = { username: 'identifier', password: 'credentials.passcode' };

function normalise(values: Values): Values {
  const out: Values = {};
  for (const [k, v] of Object.entries(values)) out[ALIASES[k] ?? k] = v;
  return out;
}

/** Builds a request body from a form's fields; returns the missing required paths when it cannot. */
export function fillForm(fields: IdxField[], values: Values, prefix = ''): { body: Record<string, unknown>; missing: string[] } {
  const body: Record<string, unknown> = {};
  const missing: string[] = [];
  for (const f of fields) {
    const path = prefix + f.name;
    if (f.mutable === false && f.value !== undefined) {
      body[f.name] = f.value;
    } else if (f.form) {
      const inner = fillForm(f.form.value, values, path + '.');
      if (Object.keys(inner.body).length) {
        body[f.name] = inner.body;
        missing.push(...inner.missing);
      } else if (f.required) {
        // A required object with nothing filled: its own fields are what is missing.
        missing.push(...(inner.missing.length ? inner.missing : f.form.value.filter((x) => x.mutable !== false).map((x) => `${path}.${x.name}`)));
      }
    } else if (values[path] !== undefined) {
      body[f.name] = values[path];
    } else if (f.value !== undefined && f.visible !== false) {
      body[f.name] = f.value;
    } else if (f.required) {
      missing.push(path);
    }
  }
  return { body, missing };
}

export function describe(form: IdxForm, response: IdxResponse): NextStep {
  const inputs: StepInput[] = [];
  const walk = (fields: IdxField[], prefix: string) => {
    for (const f of fields) {
      if (f.visible === false || f.mutable === false) continue;
      if (f.form) walk(f.form.value, prefix + f.name + '.');
      else inputs.push({ name: prefix + f.name, label: f.label, type: f.type ?? 'string', required: f.required, secret: f.secret });
    }
  };
  walk(form.value, '');
  return { name: form.name, inputs, messages: response.messages?.value ?? [] };
}

export async function introspect(http: HttpOptions, domain: string, interactionHandle: string): Promise<IdxResponse> {
  const r = await send(http, `${domain}/idp/idx/introspect`, {
    method: 'POST', headers: { 'content-type': ION_JSON, accept: ION_JSON }, body: JSON.stringify({ interactionHandle }),
  });
  return expectIdx(r);
}

export async function submit(http: HttpOptions, form: IdxForm, body: Record<string, unknown>): Promise<IdxResponse> {
  const r = await send(http, form.href, {
    method: 'POST', headers: { 'content-type': 'application/json', accept: form.accepts ?? ION_JSON }, body: JSON.stringify(body),
  });
  return expectIdx(r);
}

function expectIdx(r: { status: number; body: any }): IdxResponse {
  const isIdx = r.body && typeof r.body === 'object' && typeof r.body.version === 'string';
  if (r.status >= 200 && r.status < 300 && isIdx) return r.body as IdxResponse;
  if (isIdx) {
    const messages: IdxMessage[] = collectMessages(r.body);
    throw new GatehouseError('IDX_ERROR', messages.map((m) => m.message).join(' ') || `IDX request failed with ${r.status}`, { status: r.status, messages });
  }
  if (r.body && typeof r.body === 'object' && typeof r.body.error === 'string') {
    throw new GatehouseError('OAUTH_ERROR', `${r.body.error}: ${r.body.error_description ?? ''}`, { status: r.status, error: r.body.error, error_description: r.body.error_description });
  }
  throw new GatehouseError('IDX_ERROR', `unexpected IDX answer (HTTP ${r.status})`, { status: r.status, messages: [] });
}

/** Global messages plus field messages, as auth-js collects them. */
function collectMessages(res: IdxResponse): IdxMessage[] {
  const out: IdxMessage[] = [...(res.messages?.value ?? [])];
  const walk = (fields: IdxField[] = []) => { for (const f of fields) { out.push(...(f.messages?.value ?? [])); if (f.form) walk(f.form.value); } };
  for (const form of res.remediation?.value ?? []) walk(form.value);
  return out;
}

export function interactionCodeOf(res: IdxResponse): string | undefined {
  const v = res.successWithInteractionCode?.value.find((f) => f.name === 'interaction_code')?.value;
  return typeof v === 'string' ? v : undefined;
}

export { normalise };
