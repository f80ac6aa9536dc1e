// Whole views: a remediation form (title, message region, fields, submit, cancel), a terminal message, and
// the loading state. The one special case by remediation name is the title and button table below.
import type { IdxForm, IdxMessage } from '@gatehouse/protocol';
import type { Translate } from '../i18n.js';
import { h } from './dom.js';
import { renderFields, type RenderedField } from './fields.js';

const TITLES: Record<string, { title: string; button: string }> = {
  identify: { title: 'primaryauth.title', button: 'oform.next' },
  'challenge-authenticator': { title: 'oie.password.challenge.title', button: 'oform.verify' },
};

export interface FormView {
  root: HTMLFormElement;
  alert: HTMLElement;
  title: HTMLElement;
  fields: Map<string, RenderedField>;
  button: HTMLButtonElement;
  cancel?: HTMLButtonElement;
}

export const messageText = (m: IdxMessage, t: Translate) => t(m.i18n?.key ?? '', m.message);

export function renderForm(form: IdxForm, t: Translate, opts: { canCancel: boolean; appLabel?: string }): FormView {
  const names = TITLES[form.name];
  const hasSecret = JSON.stringify(form.value).includes('"secret":true');
  const title = h('h2', { class: 'gh-title', tabindex: '-1' }, t(names?.title ?? form.name, names ? undefined : form.name));
  const alert = h('div', { class: 'gh-alert', role: 'alert', 'aria-live': 'assertive', 'aria-atomic': 'true', hidden: true });
  const rendered = renderFields(form.value, { t, formName: form.name });
  const fields = new Map(rendered.map((r) => [r.path, r]));
  const buttonText = form.name === 'identify' && hasSecret ? t('oform.signin') : t(names?.button ?? 'oform.next');
  const button = h('button', { type: 'submit', class: 'gh-button' }, buttonText);
  const cancel = opts.canCancel ? h('button', { type: 'button', class: 'gh-link' }, t('oform.cancel')) : undefined;
  const root = h('form', { class: 'gh-form', novalidate: true, 'aria-labelledby': '' },
    opts.appLabel ? h('p', { class: 'gh-app' }, opts.appLabel) : null,
    title, alert, ...rendered.map((r) => r.el), button, cancel ?? null);
  title.id = `gh-title-${Math.random().toString(36).slice(2)}`;
  root.setAttribute('aria-labelledby', title.id);
  return { root, alert, title, fields, button, cancel };
}

export function showAlert(alert: HTMLElement, texts: string[], kind: 'error' | 'info' = 'error') {
  alert.textContent = '';
  alert.className = `gh-alert gh-alert-${kind}`;
  for (const text of texts) alert.append(h('p', {}, text));
  alert.hidden = texts.length === 0;
}

export function renderTerminal(texts: string[], t: Translate, onBack?: () => void): HTMLElement {
  const back = onBack ? h('button', { type: 'button', class: 'gh-button' }, t('goback')) : null;
  back?.addEventListener('click', onBack!);
  const alert = h('div', { class: 'gh-alert gh-alert-error', role: 'alert', 'aria-live': 'assertive' }, ...texts.map((x) => h('p', {}, x)));
  return h('div', { class: 'gh-form gh-terminal' }, alert, back);
}

export function renderLoading(t: Translate): HTMLElement {
  return h('div', { class: 'gh-form gh-loading', role: 'status', 'aria-live': 'polite' }, t('loading'));
}
