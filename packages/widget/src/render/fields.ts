// One render function per field kind, chosen from the field's properties (type, secret, options, form),
// never from the remediation's name. Each returns the element and a way to read its value back.
import type { IdxField, IdxMessage } from '@gatehouse/protocol';
import type { Translate } from '../i18n.js';
import { h, uid } from './dom.js';
import { AUTOFILL, type Authn } from './names.js';
import { passwordRules, type Who } from './rules.js';

export interface RenderedField {
  path: string;
  el: HTMLElement;
  /** The input that receives focus and error state. */
  input?: HTMLInputElement | HTMLSelectElement;
  value(): unknown;
  showError(text: string | null): void;
  /** Secrets only: empties the field and hides what it shows, for the next try. */
  clearSecret?(): void;
  /** A check made before submitting (password rules, the confirmation): the message, or null when fine. */
  check?(): string | null;
}

export interface FieldContext {
  t: Translate;
  /** The authenticator the (sub)form relates to: a secret relating to one with `settings` is a new password. */
  auth?: Authn;
  /** Resolves a relatesTo path ("$.currentAuthenticator") in the response. */
  rel(path: unknown): Authn | undefined;
  who: Who;
}

// The server's label, translated by its English text when the language has it; the field's name otherwise.
const label = (f: IdxField, t: Translate) => t(f.label ?? f.name);

function errorSlot(input: HTMLElement, id: string, base?: string) {
  const slot = h('div', { class: 'gh-field-error', id, hidden: true });
  const describe = (ids: (string | false | undefined)[]) => {
    const v = ids.filter(Boolean).join(' ');
    if (v) input.setAttribute('aria-describedby', v);
    else input.removeAttribute('aria-describedby');
  };
  describe([base]);
  return {
    slot,
    show(text: string | null) {
      slot.textContent = text ?? '';
      slot.hidden = !text;
      if (text) input.setAttribute('aria-invalid', 'true');
      else input.removeAttribute('aria-invalid');
      describe([text ? id : undefined, base]);
    },
  };
}

/** One labelled text input. Kinds come from field properties: a code, a new password, a secret, plain text. */
function input(path: string, text: string, attrs: Record<string, string | boolean | undefined>, t: Translate, base?: string, after: Node[] = []) {
  const id = uid('input');
  const el = h('input', { id, name: path, type: 'text', class: 'gh-input', ...attrs });
  const err = errorSlot(el, id + '-error', base);
  const field: RenderedField = { path, el, input: el, value: () => el.value, showError: err.show };
  let control: HTMLElement = el;
  if (attrs.type === 'password') {
    const reveal = revealToggle(el, t);
    control = h('div', { class: 'gh-secret' }, el, reveal.button);
    field.clearSecret = () => {
      el.value = '';
      el.dispatchEvent(new Event('input'));
      reveal.set(false);
    };
  }
  field.el = h('div', { class: 'gh-field' }, h('label', { for: id, class: 'gh-label' }, text), control, ...after, err.slot);
  return field;
}

function textField(f: IdxField, path: string, ctx: FieldContext): RenderedField[] {
  const { t } = ctx;
  const attrs = { required: f.required, maxlength: f.maxLength ? String(f.maxLength) : undefined, spellcheck: 'false' as string | undefined, autocapitalize: 'none' as string | undefined, autocomplete: undefined as string | undefined };
  const complexity = f.secret && ctx.auth?.settings ? ctx.auth.settings.complexity ?? {} : undefined;
  if (complexity) {
    // A new password: the policy's rules listed and ticked as the user types, and a confirmation checked here.
    const rules = passwordRules(complexity, ctx.who, t);
    const pw = input(path, label(f, t), { ...attrs, type: 'password', autocomplete: 'new-password' }, t, rules.nodes.length ? rules.id : undefined, rules.nodes);
    const el = pw.input as HTMLInputElement;
    el.addEventListener('input', () => rules.update(el.value));
    pw.check = () => (rules.unmet(el.value).length ? t('password.unmet') : null);
    const confirm = input(path + '#confirm', t('confirm'), { ...attrs, required: true, type: 'password', autocomplete: 'new-password' }, t);
    confirm.check = () => (confirm.value() !== el.value ? t('password.mismatch') : null);
    return [pw, confirm];
  }
  if (f.secret) attrs.autocomplete = 'current-password';
  else if (f.name === 'passcode') Object.assign(attrs, { autocomplete: 'one-time-code', inputmode: 'numeric' });
  else if (path === 'identifier') attrs.autocomplete = 'username';
  else if (f.name === 'email') attrs.autocomplete = 'email';
  else {
    attrs.spellcheck = attrs.autocapitalize = undefined;
    attrs.autocomplete = AUTOFILL[f.name];
  }
  const field = input(path, label(f, t), { ...attrs, type: f.secret ? 'password' : 'text' }, t);
  if (typeof f.value === 'string') (field.input as HTMLInputElement).value = f.value;
  return [field];
}

/** A toggle that shows a secret as text and hides it again, so a user can check what they typed. */
function revealToggle(input: HTMLInputElement, t: Translate) {
  // The text says what a press will do ("Show password" / "Hide password"); as the name changes with the
  // state, there is no aria-pressed (a toggle's name must not change, ARIA practices), and no aria-label, so
  // the field's label stays the only one that says "Password".
  const button = h('button', { type: 'button', class: 'gh-link gh-reveal', 'aria-controls': input.id }, '');
  const set = (shown: boolean) => {
    input.type = shown ? 'text' : 'password';
    button.textContent = t(shown ? 'sensitive.input.hide' : 'sensitive.input.show');
  };
  set(false);
  button.addEventListener('click', () => set(input.type === 'password'));
  return { button, set };
}

function checkboxField(f: IdxField, path: string, ctx: FieldContext): RenderedField {
  const id = uid('check');
  const input = h('input', { id, name: path, type: 'checkbox', class: 'gh-checkbox' });
  input.checked = f.value === true;
  const err = errorSlot(input, id + '-error');
  const el = h('div', { class: 'gh-field gh-field-checkbox' }, input, h('label', { for: id }, label(f, ctx.t)), err.slot);
  // Okta's widget omits an unchecked box; so do we.
  return { path, el, input, value: () => (input.checked ? true : undefined), showError: err.show };
}

function optionsField(f: IdxField, path: string, ctx: FieldContext): RenderedField {
  const name = uid('radio');
  const errId = name + '-error';
  const radios: HTMLInputElement[] = [];
  const fieldset = h('fieldset', { class: 'gh-field gh-options' }, h('legend', { class: 'gh-label' }, label(f, ctx.t)));
  (f.options ?? []).forEach((o, i) => {
    const id = `${name}-${i}`;
    const r = h('input', { id, type: 'radio', name, value: String(i) });
    if (i === 0) r.checked = true;
    radios.push(r);
    fieldset.append(h('div', { class: 'gh-option' }, r, h('label', { for: id }, o.label)));
  });
  const err = errorSlot(fieldset, errId);
  fieldset.append(err.slot);
  const value = () => {
    const i = radios.findIndex((r) => r.checked);
    const o = f.options?.[i];
    if (!o) return undefined;
    if (typeof o.value === 'object' && o.value && 'form' in o.value) {
      // An option that is itself a form (select-authenticator): send its immutable values.
      return Object.fromEntries(o.value.form.value.filter((x) => x.value !== undefined).map((x) => [x.name, x.value]));
    }
    return o.value;
  };
  return { path, el: fieldset, input: radios[0], value, showError: err.show };
}

/** A choice among plain values (a profile attribute's enum): a native select, with nothing chosen until the user picks. */
function selectField(f: IdxField, path: string, ctx: FieldContext): RenderedField {
  const id = uid('select');
  const el = h('select', { id, name: path, class: 'gh-input', required: f.required },
    h('option', { value: '' }, ctx.t('choose')), ...f.options!.map((o) => h('option', { value: String(o.value) }, o.label)));
  if (f.value != null) el.value = String(f.value);
  const err = errorSlot(el, id + '-error');
  return { path, el: h('div', { class: 'gh-field' }, h('label', { for: id, class: 'gh-label' }, label(f, ctx.t)), el, err.slot), input: el, value: () => el.value, showError: err.show };
}

/** A field with one fixed choice needs no control: its value is sent as is (a method type with one method). */
const only = (f: IdxField) => (f.options?.length === 1 && typeof f.options[0]!.value !== 'object' ? f.options[0]!.value : undefined);

/** Renders the visible fields of a form, recursing into nested objects (credentials.passcode). */
export function renderFields(fields: IdxField[], ctx: FieldContext, prefix = '', required?: boolean): RenderedField[] {
  const out: RenderedField[] = [];
  for (let f of fields) {
    const path = prefix + f.name;
    if (f.visible === false || f.mutable === false || only(f) !== undefined) continue;
    // A required object makes its first visible field required (credentials: { passcode }).
    if (required && !out.length) f = { ...f, required: true };
    const rel = (f as { relatesTo?: unknown }).relatesTo;
    if (f.form) out.push(...renderFields(f.form.value, rel ? { ...ctx, auth: ctx.rel(rel) } : ctx, path + '.', f.required));
    else if (f.options?.length) out.push(f.options.some((o) => typeof o.value === 'object') ? optionsField(f, path, ctx) : selectField(f, path, ctx));
    else if (f.type === 'boolean') out.push(checkboxField(f, path, ctx));
    else out.push(...textField(f, path, ctx));
  }
  return out;
}

/** The request body: user input for rendered fields, the server's values for hidden or immutable ones. */
export function collectBody(fields: IdxField[], rendered: Map<string, RenderedField>, prefix = ''): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const f of fields) {
    const path = prefix + f.name;
    if (f.form) {
      const inner = collectBody(f.form.value, rendered, path + '.');
      if (Object.keys(inner).length) body[f.name] = inner;
      continue;
    }
    const r = rendered.get(path);
    const v = r ? r.value() : f.value ?? only(f);
    if (v !== undefined && v !== '') body[f.name] = v;
  }
  return body;
}

/** Field messages by dotted path, from an error response's copy of the form. */
export function fieldMessages(fields: IdxField[], prefix = '', out = new Map<string, IdxMessage[]>()): Map<string, IdxMessage[]> {
  for (const f of fields) {
    const path = prefix + f.name;
    if (f.messages?.value.length) out.set(path, f.messages.value);
    if (f.form) fieldMessages(f.form.value, path + '.', out);
  }
  return out;
}

/** Where messages go: on their field, a message on an object on its first visible field, anything else on the form. */
export function placeMessages(byPath: Map<string, IdxMessage[]>, fields: Map<string, RenderedField>) {
  const on = new Map<RenderedField, IdxMessage[]>();
  const rest: IdxMessage[] = [];
  for (const [path, m] of byPath) {
    const f = fields.get(path) ?? [...fields.values()].find((x) => x.path.startsWith(path + '.'));
    if (f) on.set(f, [...(on.get(f) ?? []), ...m]);
    else rest.push(...m);
  }
  return { on, rest };
}
