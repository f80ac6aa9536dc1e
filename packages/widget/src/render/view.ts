// Whole views: a remediation form (title, subtitle, message region, fields, submit, links to sibling forms
// and actions, cancel), a terminal message, and the loading state. Special cases by name live in names.ts.
import type { IdxForm, IdxMessage, IdxResponse } from '@gatehouse/protocol';
import type { Translate } from '../i18n.js';
import { h, uid } from './dom.js';
import { renderFields, type RenderedField } from './fields.js';
import { hasWebauthn } from '../webauthn.js';
import { ACTIONS, FORMS, LINKS, MIN_OPTIONS, type Authn } from './names.js';

export interface FormView {
  root: HTMLFormElement;
  alert: HTMLElement;
  title: HTMLElement;
  fields: Map<string, RenderedField>;
  button: HTMLButtonElement;
  cancel?: HTMLButtonElement;
  /** "Sign in with a passkey", hidden until the flow knows the browser has no passkey autofill. */
  passkey?: HTMLButtonElement;
}

/** A link under the form: an action on the current authenticator, a sibling form to post, or one to open here. */
export type Go = (kind: 'action' | 'post' | 'open' | 'back' | 'passkey', name: string) => void;

export const messageText = (m: IdxMessage, t: Translate) => t(m.i18n?.key ?? '', m.message, m.i18n?.params?.[0] as string | undefined);

type Res = IdxResponse & Record<string, any>;

/** The object a relatesTo path ("$.currentAuthenticator", "$.authenticatorEnrollments.value[0]") points at. */
export function resolve(res: Res, path: unknown): Authn | undefined {
  if (typeof path !== 'string') return undefined;
  let v: any = res;
  for (const k of path.replace(/^\$\.?/, '').split(/[.[\]]+/)) if (k) v = v?.[k];
  return v?.value ?? v;
}

/** The authenticator being verified, enrolled or reset (the server sends one of the two). */
export const current = (res: Res): Authn | undefined => res.currentAuthenticator?.value ?? res.currentAuthenticatorEnrollment?.value;

const hasInput = (f: IdxForm) => f.value.some((x) => x.visible !== false && x.mutable !== false);

/** A WebAuthn form: its credentials are what the browser makes (clientData, …), not what the user types. */
export const isWebauthn = (f?: IdxForm) => !!f?.value.some((x) => x.form?.value.some((y) => y.name === 'clientData'));

/** Google Authenticator enrollment (spec §5.1): the QR code drawn from its data: URL and the key to type instead. */
function appSetup(data: { qrcode?: { href?: string }; sharedSecret?: string } | undefined, t: Translate) {
  if (!data?.qrcode?.href && !data?.sharedSecret) return [];
  const key = data.sharedSecret;
  const copy = key ? h('button', { type: 'button', class: 'gh-link' }, t('copy')) : null;
  copy?.addEventListener('click', () => void navigator.clipboard?.writeText(key!).then(() => { copy.textContent = t('copied'); }));
  return [
    data.qrcode?.href ? h('p', { class: 'gh-sub' }, t('enroll.app.scan')) : null,
    data.qrcode?.href ? h('img', { class: 'gh-qr', src: data.qrcode.href, alt: t('qr.alt') }) : null,
    key ? h('p', { class: 'gh-sub' }, t('enroll.app.secret'), ' ', h('code', { class: 'gh-key' }, key), ' ', copy) : null,
  ];
}

export function renderForm(form: IdxForm, res: Res, t: Translate, opts: { canCancel: boolean; opened: boolean; go: Go }): FormView {
  const rel = (p: unknown) => resolve(res, p);
  const auth = rel(form.relatesTo?.[0]) ?? current(res);
  const type = auth?.type ?? '';
  const [titleKey, buttonKey, subKey, keeps] = FORMS[form.name] ?? [form.name, 'oform.next'];
  const fill = (k: string) => k.replace('{type}', type);
  const recovery = res.recoveryAuthenticator?.value?.type === 'password' && !keeps;
  const titleId = uid('title');
  const title = h('h2', { class: 'gh-title', tabindex: '-1', id: titleId }, recovery ? t('password.reset.title') : t(fill(titleKey), t('oie.verify.title'), auth?.displayName));
  // The subtitle names where a code went (a masked address from the server, shown as text).
  const to = auth?.profile?.email ?? res.user?.value?.identifier;
  const sub = subKey && to ? t(fill(subKey) + (auth?.contextualData?.useEmailMagicLink === true ? '.link' : ''), t(fill(subKey), '', to), to) : '';
  const subId = uid('sub');
  const alert = h('div', { class: 'gh-alert', role: 'alert', 'aria-live': 'assertive', 'aria-atomic': 'true', hidden: true });
  const rendered = renderFields(form.value, { t, auth: rel(form.relatesTo?.[0]), rel, who: res.user?.value ?? {} });
  const fields = new Map(rendered.map((r) => [r.path, r]));
  // Where a form mixes required and optional entries (a profile), required ones get a visual * (the input itself
  // says `required` to assistive technology), explained once above the fields.
  const typed = rendered.filter((r) => r.input && !/^(checkbox|radio)$/.test(r.input.type));
  const marks = typed.some((r) => !r.input!.required);
  if (marks) for (const r of typed) if (r.input!.required) r.el.querySelector('label')!.append(h('span', { class: 'gh-req', 'aria-hidden': 'true' }, ' *'));
  const hasSecret = JSON.stringify(form.value).includes('"secret":true');
  const webauthn = isWebauthn(form);
  const button = h('button', { type: 'submit', class: 'gh-button' }, form.name === 'identify' && hasSecret ? t('oform.signin')
    : webauthn ? t(auth?.contextualData?.activationData ? 'webauthn.setup' : 'oform.verify') : t(fill(buttonKey), t('oform.next')));

  const links: HTMLElement[] = [];
  let passkey: HTMLButtonElement | undefined;
  const link = (text: string, kind: Parameters<Go>[0], name: string) => {
    const b = h('button', { type: 'button', class: 'gh-link' }, text);
    b.addEventListener('click', () => opts.go(kind, name));
    links.push(b);
  };
  if (opts.opened) link(t('oform.back'), 'back', '');
  else {
    const a = current(res) as Record<string, unknown> | undefined;
    for (const [name, key] of Object.entries(ACTIONS)) if (a?.[name]) link(t(key), 'action', name);
    for (const r of res.remediation?.value ?? []) {
      // A passkey form beside the sign-in form (challenge-webauthn-autofillui-authenticator) is a button, not a link.
      if (r !== form && isWebauthn(r)) {
        if (!hasWebauthn()) continue;
        const b = h('button', { type: 'button', class: 'gh-button gh-passkey', hidden: true }, t('passkey.signin'));
        b.addEventListener('click', () => opts.go('passkey', r.name));
        passkey = b;
        if (fields.get('identifier')) fields.get('identifier')!.input!.setAttribute('autocomplete', 'username webauthn');
        continue;
      }
      if (r === form || r.method === 'GET' || (r.value[0]?.options?.length ?? 0) < (MIN_OPTIONS[r.name] ?? 0)) continue;
      link(t(LINKS[r.name] ?? r.name), hasInput(r) ? 'open' : 'post', r.name);
    }
  }
  const cancel = opts.canCancel ? h('button', { type: 'button', class: 'gh-link' }, t('oform.cancel')) : undefined;
  const root = h('form', { class: 'gh-form', novalidate: true, 'aria-labelledby': titleId, 'aria-describedby': sub ? subId : undefined },
    title, sub ? h('p', { class: 'gh-sub', id: subId }, sub) : null, alert, ...appSetup(auth?.contextualData, t), marks ? h('p', { class: 'gh-sub' }, t('required')) : null, ...rendered.map((r) => r.el), button, passkey,
    links.length ? h('div', { class: 'gh-links' }, ...links) : null, cancel ?? null);
  return { root, alert, title, fields, button, cancel, passkey };
}

export function showAlert(alert: HTMLElement, texts: string[], kind: 'error' | 'info' = 'error') {
  alert.textContent = '';
  alert.className = `gh-alert gh-alert-${kind}`;
  alert.setAttribute('part', `alert alert-${kind}`);
  // Errors interrupt; news (a new code was sent) waits its turn.
  alert.setAttribute('role', kind === 'info' ? 'status' : 'alert');
  alert.setAttribute('aria-live', kind === 'info' ? 'polite' : 'assertive');
  for (const text of texts) alert.append(h('p', {}, text));
  alert.hidden = texts.length === 0;
}

export function renderTerminal(texts: string[], t: Translate, onBack?: () => void, kind = 'error', title?: string): HTMLElement {
  const back = onBack ? h('button', { type: 'button', class: 'gh-button' }, t('goback')) : null;
  back?.addEventListener('click', onBack!);
  const alert = h('div', { class: `gh-alert gh-alert-${kind}`, role: 'alert', 'aria-live': 'assertive' }, ...texts.map((x) => h('p', {}, x)));
  return h('div', { class: 'gh-form gh-terminal' }, title ? h('h2', { class: 'gh-title' }, t(title)) : null, alert, back);
}

export function renderLoading(t: Translate): HTMLElement {
  return h('div', { class: 'gh-form gh-loading', role: 'status', 'aria-live': 'polite' }, t('loading'));
}
