// One render function per field kind, chosen from the field's properties (type, secret, options, form),
// never from the remediation's name. Each returns the element and a way to read its value back.
import type { IdxField, IdxMessage } from '@gatehouse/protocol';
import type { Translate } from '../i18n.js';
import { h, uid } from './dom.js';

export interface RenderedField {
  path: string;
  el: HTMLElement;
  /** The input that receives focus and error state. */
  input?: HTMLInputElement | HTMLSelectElement;
  value(): unknown;
  showError(text: string | null): void;
  /** Secrets only: empties the field and hides what it shows, for the next try. */
  clearSecret?(): void;
}

export interface FieldContext {
  t: Translate;
  /** The remediation this field belongs to (for autocomplete hints). */
  formName: string;
}

const label = (f: IdxField, t: Translate) => t(f.name, f.label ?? f.name);

function errorSlot(input: HTMLElement, id: string) {
  const slot = h('div', { class: 'gh-field-error', id, hidden: true });
  return {
    slot,
    show(text: string | null) {
      slot.textContent = text ?? '';
      slot.hidden = !text;
      if (text) {
        input.setAttribute('aria-invalid', 'true');
        input.setAttribute('aria-describedby', id);
      } else {
        input.removeAttribute('aria-invalid');
        input.removeAttribute('aria-describedby');
      }
    },
  };
}

function autocomplete(f: IdxField, path: string): string | undefined {
  if (path === 'identifier') return 'username';
  if (f.secret) return 'current-password';
  return undefined;
}

function textField(f: IdxField, path: string, ctx: FieldContext): RenderedField {
  const id = uid('input');
  const input = h('input', {
    id, name: path, type: f.secret ? 'password' : 'text', autocomplete: autocomplete(f, path), required: f.required,
    spellcheck: f.secret || path === 'identifier' ? 'false' : undefined, autocapitalize: path === 'identifier' ? 'none' : undefined,
    maxlength: f.maxLength ? String(f.maxLength) : undefined,
  });
  if (typeof f.value === 'string') input.value = f.value;
  const err = errorSlot(input, id + '-error');
  const field: RenderedField = { path, el: input, input, value: () => input.value, showError: err.show };
  let control: HTMLElement = input;
  if (f.secret) {
    const reveal = revealToggle(input, ctx.t);
    control = h('div', { class: 'gh-secret' }, input, reveal.button);
    field.clearSecret = () => { input.value = ''; reveal.set(false); };
  }
  field.el = h('div', { class: 'gh-field' }, h('label', { for: id, class: 'gh-label' }, label(f, ctx.t)), control, err.slot);
  return field;
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

/** Renders the visible fields of a form, recursing into nested objects (credentials.passcode). */
export function renderFields(fields: IdxField[], ctx: FieldContext, prefix = ''): RenderedField[] {
  const out: RenderedField[] = [];
  for (const f of fields) {
    const path = prefix + f.name;
    if (f.visible === false || f.mutable === false) continue;
    if (f.form) out.push(...renderFields(f.form.value, ctx, path + '.'));
    else if (f.options?.length) out.push(optionsField(f, path, ctx));
    else if (f.type === 'boolean') out.push(checkboxField(f, path, ctx));
    else out.push(textField(f, path, ctx));
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
    const v = r ? r.value() : f.value;
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
