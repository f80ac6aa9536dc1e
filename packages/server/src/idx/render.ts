// The single pure function from transaction state to IDX JSON (spec §7, §9.1). Every IDX response,
// success or error, is built here, so stateHandle, absolute hrefs and relatesTo targets always agree.
// Nothing is serialised wholesale from the transaction: this function decides what the client sees.
import type { IdxField, IdxMessage, IdxResponse } from '@gatehouse/protocol';
import { IDX_VERSION } from '@gatehouse/protocol';
import type { Transaction, User } from '../store/interfaces.js';
import { form, hiddenImmutable } from './fields.js';
import type { ViewContext } from './remediation.js';
import { stepOf } from './steps.js';
import { authorizationResponseUrl } from '../oauth/authorization-response.js';

export interface RenderContext extends ViewContext {
  /** Token endpoint of the transaction's authorization server (the `issue` form's href). */
  tokenEndpoint: string;
  /** Issuer of the transaction's authorization server (the `iss` of a hosted page's redirect, RFC 9207). */
  issuer: string;
  messages?: IdxMessage[];
  /** Field messages by dotted path, e.g. `credentials.passcode`. */
  fieldMessages?: Record<string, IdxMessage[]>;
  user?: User | null;
  /** The raw one-time code, present only in the response that minted it. */
  code?: string;
}

export function renderIdxResponse(tx: Transaction, ctx: RenderContext): IdxResponse {
  const sh = hiddenImmutable('stateHandle', ctx.stateHandle);
  const res: IdxResponse = {
    version: IDX_VERSION,
    stateHandle: ctx.stateHandle,
    expiresAt: new Date(tx.expiresAt).toISOString(),
    intent: tx.context.intent ?? 'LOGIN',
  };
  if (tx.step === 'success' && ctx.code) {
    if (ctx.user) res.user = { type: 'object', value: { id: ctx.user.id, identifier: ctx.user.login } };
    if (tx.kind === 'interact') {
      res.successWithInteractionCode = form('issue', ctx.tokenEndpoint, [
        { name: 'grant_type', required: true, value: 'interaction_code' },
        { name: 'interaction_code', required: true, value: ctx.code },
        { name: 'client_id', required: true, value: ctx.app.clientId },
        // As Okta: a client that authenticates with a secret is told to send it. okta-idx-golang fills in only
        // the fields this form lists, so without this field its sign-in sends no credentials (interop/go).
        ...(ctx.app.authMethod === 'client_secret_basic' || ctx.app.authMethod === 'client_secret_post' ? [{ name: 'client_secret', required: true }] : []),
        { name: 'code_verifier', required: true },
      ], { accepts: 'application/x-www-form-urlencoded', produces: undefined });
    } else {
      // Hosted sign-in page: the browser goes straight back to the client with an authorization code.
      const href = authorizationResponseUrl(tx.redirectUri, ctx.issuer, { code: ctx.code, state: tx.state });
      (res as IdxResponse & { success?: object }).success = { name: 'success-redirect', href };
    }
  } else {
    const step = stepOf(tx);
    const forms = step.remediations(tx, ctx).map((r) =>
      form(r.name, ctx.baseUrl + r.path, [...withMessages(r.fields(tx, ctx), '', ctx.fieldMessages ?? {}), sh],
        r.relatesTo ? { relatesTo: r.relatesTo } : {}));
    if (forms.length) res.remediation = { type: 'array', value: forms };
    Object.assign(res, step.objects(tx, ctx));
  }
  if (ctx.messages?.length) res.messages = { type: 'array', value: ctx.messages };
  res.app = { type: 'object', value: { name: 'oidc_client', label: ctx.app.name, id: ctx.app.clientId } };
  if (tx.step !== 'success') res.cancel = form('cancel', ctx.baseUrl + '/idp/idx/cancel', [sh]);
  return res;
}

/** Terminal response: messages only, no forms (spec §7.8). */
export function renderTerminal(messages: IdxMessage[], stateHandle?: string): IdxResponse {
  return { version: IDX_VERSION, ...(stateHandle ? { stateHandle } : {}), intent: 'LOGIN', messages: { type: 'array', value: messages } };
}

function withMessages(fields: IdxField[], prefix: string, byPath: Record<string, IdxMessage[]>): IdxField[] {
  return fields.map((f) => {
    const path = prefix + f.name;
    let out = f;
    if (f.form) out = { ...out, form: { value: withMessages(f.form.value, path + '.', byPath) } };
    const m = byPath[path];
    if (m?.length) out = { ...out, messages: { type: 'array', value: m } };
    return out;
  });
}
