// Headless sign-in for apps with their own forms. It follows IDX remediations generically: the first form
// (`remediation.value[0]`, as Okta's clients do) is filled from the caller's values by field path, nested
// `form`s become nested JSON, immutable fields (stateHandle) are echoed, and the body is posted to the
// form's `href`. The only names it knows are the aliases username → identifier and password →
// credentials.passcode. It stops with tokens, or with the next step when the values cannot fill a form.
import type { IdxField, IdxForm, IdxMessage, IdxResponse } from '@gatehouse/protocol';
import type { GatehouseConfig } from './config.js';
import { GatehouseError, errorFromResponse, isSuccess } from './errors.js';
import { ION_JSON, send } from './http.js';
import { interact, startInteraction, type SignInContext } from './interact.js';
import { redeemInteractionCode, type TokenSet } from './redeem.js';

/** Values by field path (`identifier`, `credentials.passcode`), nested objects, or the aliases `username` / `password`. */
export type StepValues = Record<string, unknown>;

export interface StepInput {
  /** The field path to give a value for in `proceed`, e.g. `credentials.passcode`. */
  name: string;
  label?: string;
  type: string;
  required: boolean;
  secret: boolean;
}

export interface NextStep {
  /** The remediation name exactly as sent, e.g. `identify` or `challenge-authenticator`. */
  name: string;
  inputs: StepInput[];
  /** Messages to show with the form (global and per field). */
  messages: IdxMessage[];
}

/** A sign-in in progress: keep it (server side) between `authenticate` and `proceed`. Holds the PKCE verifier. */
export interface IdxTransaction {
  context: SignInContext;
  response: IdxResponse;
}

export type AuthenticateResult =
  | { status: 'SUCCESS'; tokens: TokenSet }
  | {
      status: 'PENDING';
      transaction: IdxTransaction;
      nextStep: NextStep;
      /** True when the server refused the values just posted (a wrong password): `nextStep.messages` says why. */
      refused: boolean;
    };

/** okta-auth-js's aliases for the identify and password forms; every other value goes by its field path. */
const ALIASES: Record<string, string> = { username: 'identifier', password: 'credentials.passcode' };

/** A safety stop: a server that keeps answering with fillable forms is not making progress. */
const MAX_STEPS = 10;

/**
 * Signs in without the widget: interact, introspect, then fill and post forms until tokens or a step the
 * values cannot answer. A wrong password is a `PENDING` result with `refused: true` whose step carries
 * `errors.E0000004`; the transaction stays usable, so `proceed` can try again on the same form.
 * @example
 * const r = await authenticate(config, { username: 'ada@example.com', password });
 * if (r.status === 'SUCCESS') keep(r.tokens); else render(r.nextStep);
 */
export async function authenticate(config: GatehouseConfig, values: StepValues & { username?: string; password?: string }): Promise<AuthenticateResult> {
  const { context } = startInteraction(config);
  const handle = await interact(config, context);
  const { response } = await postIdx(config, config.endpoints.introspect, { interactionHandle: handle }, ION_JSON);
  return proceed(config, { context, response }, values);
}

/**
 * Continues a PENDING sign-in with more values, e.g. `{ password }` for a password challenge.
 * @example
 * const next = await proceed(config, r.transaction, { password });
 */
export async function proceed(config: GatehouseConfig, transaction: IdxTransaction, values: StepValues): Promise<AuthenticateResult> {
  const given = flattenValues(values);
  let { response } = transaction;
  for (let step = 0; step < MAX_STEPS; step++) {
    const code = interactionCodeOf(response);
    if (code) return { status: 'SUCCESS', tokens: await redeemInteractionCode(config, transaction.context, code) };
    const form = response.remediation?.value[0];
    if (!form) {
      const messages = response.messages?.value ?? [];
      throw new GatehouseError('IDX_ERROR', messages.map((m) => m.message).join(' ') || 'the sign-in ended without an interaction code', { messages });
    }
    const { body, missing } = fillForm(form.value, given);
    if (missing.length || form.method !== 'POST') return pending(transaction.context, response, false);
    const answer = await postIdx(config, form.href, body, 'application/json');
    // A refused step is never posted again with the same values: each retry would count another failure.
    if (answer.refused) return pending(transaction.context, answer.response, true);
    response = answer.response;
  }
  throw new GatehouseError('IDX_ERROR', `the sign-in did not finish within ${MAX_STEPS} steps`, { messages: [] });
}

/**
 * Builds a form's request body from values keyed by field path; reports required paths it could not fill.
 * @example
 * fillForm(identify.value, { identifier: 'ada', 'credentials.passcode': pw }); // { body: { identifier, credentials: { passcode }, stateHandle }, missing: [] }
 */
export function fillForm(fields: IdxField[], values: StepValues, prefix = ''): { body: Record<string, unknown>; missing: string[] } {
  const body: Record<string, unknown> = {};
  const missing: string[] = [];
  for (const f of fields) {
    const path = prefix + f.name;
    if (f.mutable === false && f.value !== undefined) {
      body[f.name] = f.value; // immutable (stateHandle): echoed as sent
    } else if (f.form) {
      const inner = fillForm(f.form.value, values, `${path}.`);
      if (Object.keys(inner.body).length) {
        body[f.name] = inner.body;
        missing.push(...inner.missing);
      } else if (f.required) {
        missing.push(...(inner.missing.length ? inner.missing : f.form.value.filter((x) => x.mutable !== false).map((x) => `${path}.${x.name}`)));
      }
    } else if (values[path] !== undefined) {
      body[f.name] = values[path];
    } else if (f.value !== undefined) {
      body[f.name] = f.value; // a value the server filled in (a default, or an identifier it remembers)
    } else if (f.required) {
      missing.push(path);
    }
  }
  return { body, missing };
}

/**
 * What a form asks for, as inputs an app can render (visible, mutable fields by path) and its messages.
 * @example
 * describeStep(response.remediation.value[0], response); // { name: 'identify', inputs: [{ name: 'identifier', … }], messages: [] }
 */
export function describeStep(form: IdxForm, response: IdxResponse): NextStep {
  const inputs: StepInput[] = [];
  const messages: IdxMessage[] = [...(response.messages?.value ?? [])];
  const walk = (fields: IdxField[], prefix: string) => {
    for (const f of fields) {
      messages.push(...(f.messages?.value ?? []));
      if (f.visible === false || f.mutable === false) continue;
      if (f.form) walk(f.form.value, `${prefix}${f.name}.`);
      else inputs.push({ name: prefix + f.name, label: f.label, type: f.type ?? 'string', required: f.required === true, secret: f.secret === true });
    }
  };
  walk(form.value, '');
  return { name: form.name, inputs, messages };
}

/** Aliases resolved, nested objects flattened to paths: `{ credentials: { passcode } }` → `credentials.passcode`. */
function flattenValues(values: StepValues, prefix = '', out: StepValues = {}): StepValues {
  for (const [k, v] of Object.entries(values)) {
    const path = prefix ? `${prefix}.${k}` : (ALIASES[k] ?? k);
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) flattenValues(v as StepValues, path, out);
    else out[path] = v;
  }
  return out;
}

function pending(context: SignInContext, response: IdxResponse, refused: boolean): AuthenticateResult {
  const form = response.remediation!.value[0]!;
  return { status: 'PENDING', transaction: { context, response }, nextStep: describeStep(form, response), refused };
}

/**
 * Posts to an IDX endpoint. A 2xx IDX answer is the next state; a 4xx IDX answer that still offers a form
 * (a wrong password) is a refusal within a live transaction; anything else is thrown as a typed error.
 */
async function postIdx(config: GatehouseConfig, url: string, body: unknown, contentType: string): Promise<{ response: IdxResponse; refused: boolean }> {
  const r = await send(config, url, { method: 'POST', headers: { 'content-type': contentType, accept: ION_JSON }, body: JSON.stringify(body) });
  const isIdx = typeof r.body === 'object' && r.body !== null && typeof (r.body as IdxResponse).version === 'string';
  if (isSuccess(r.status) && isIdx) return { response: r.body as IdxResponse, refused: false };
  if (isIdx && r.status >= 400 && r.status < 500 && (r.body as IdxResponse).remediation?.value[0]) {
    return { response: r.body as IdxResponse, refused: true };
  }
  if (isSuccess(r.status)) throw new GatehouseError('IDX_ERROR', `the IDX answer has no version (HTTP ${r.status})`, { status: r.status, messages: [] });
  throw errorFromResponse(r, 'idx');
}

function interactionCodeOf(res: IdxResponse): string | undefined {
  const v = res.successWithInteractionCode?.value.find((f) => f.name === 'interaction_code')?.value;
  return typeof v === 'string' && v ? v : undefined;
}
