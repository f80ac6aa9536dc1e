// The sign-in flow: start (interact + introspect, or introspect a stateToken), render the first remediation,
// submit, and end in a redirect (interaction_code, or error), a hosted success redirect, or tokens.
// Error responses keep the current form and stateHandle: messages are shown on it, input is kept.
import type { IdxForm, IdxResponse } from '@gatehouse/protocol';
import { exchangeCode, interact, introspect, submit, WidgetError, type IdxResult } from './client.js';
import type { Tokens, WidgetConfig } from './config.js';
import { translator, type Translate } from './i18n.js';
import { createPkce, randomString } from './pkce.js';
import { h } from './render/dom.js';
import { collectBody, fieldMessages } from './render/fields.js';
import { messageText, renderForm, renderLoading, renderTerminal, showAlert, type FormView } from './render/view.js';

export type Mode = 'redirect' | 'tokens';

export interface FlowHandlers {
  onTokens(tokens: Tokens): void;
  onError(err: Error): void;
}

export class SignInFlow {
  private readonly t: Translate;
  private readonly lang: string;
  private readonly root: HTMLElement;
  private state: string;
  private verifier?: string;
  private view?: FormView;
  private form?: IdxForm;
  private last?: IdxResponse;
  private busy = false;

  constructor(private readonly cfg: WidgetConfig & { scopes: string[] }, container: HTMLElement, private readonly mode: Mode, private readonly handlers: FlowHandlers) {
    ({ t: this.t, lang: this.lang } = translator(cfg.language, cfg.i18n));
    this.state = cfg.state ?? randomString(24);
    this.root = h('div', { class: 'gh-widget', lang: this.lang });
    for (const [k, v] of Object.entries(cfg.theme ?? {})) if (k.startsWith('--gh-')) this.root.style.setProperty(k, v);
    if (cfg.brandName) this.root.append(h('p', { class: 'gh-brand' }, cfg.brandName));
    container.replaceChildren(this.root);
  }

  /** Removes the widget from the page. */
  remove() {
    this.root.remove();
  }

  async start() {
    this.show(renderLoading(this.t));
    try {
      let result: IdxResult;
      if (this.cfg.stateToken) {
        result = await introspect(this.cfg.issuer, { stateToken: this.cfg.stateToken });
      } else {
        let challenge = this.cfg.codeChallenge;
        if (!challenge) {
          const p = await createPkce();
          this.verifier = p.verifier;
          challenge = p.challenge;
        }
        const handle = await interact(this.cfg.issuer, {
          client_id: this.cfg.clientId, scope: this.cfg.scopes.join(' '), redirect_uri: this.cfg.redirectUri, state: this.state,
          nonce: this.cfg.nonce ?? randomString(24), code_challenge: challenge, code_challenge_method: 'S256',
        });
        result = await introspect(this.cfg.issuer, { interactionHandle: handle });
      }
      await this.handle(result);
    } catch (e) {
      this.fail(e);
    }
  }

  private show(node: HTMLElement) {
    const brand = this.root.querySelector('.gh-brand');
    this.root.replaceChildren(...(brand ? [brand] : []), node);
  }

  private async handle(r: IdxResult) {
    const res = r.body;
    const code = res.successWithInteractionCode?.value.find((f) => f.name === 'interaction_code')?.value;
    if (typeof code === 'string') return this.succeed(code);
    const hosted = (res as { success?: { href?: string } }).success?.href;
    if (hosted) return window.location.assign(hosted);
    if (!r.ok && this.view && this.form && res.remediation) return this.showErrors(res);
    const next = res.remediation?.value[0];
    if (!next) return this.terminal(res);
    if (!r.ok && this.view) return this.showErrors(res);
    this.last = res;
    this.renderStep(next, res);
    if (!r.ok) this.showErrors(res);
  }

  private renderStep(form: IdxForm, res: IdxResponse) {
    this.form = form;
    const view = renderForm(form, this.t, { canCancel: !!res.cancel, appLabel: undefined });
    this.view = view;
    view.root.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.submitCurrent();
    });
    view.cancel?.addEventListener('click', () => void this.cancel());
    this.show(view.root);
    const first = [...view.fields.values()].find((f) => f.input && !(f.input as HTMLInputElement).value);
    (first?.input ?? view.title).focus();
  }

  private async submitCurrent() {
    if (this.busy || !this.form || !this.view) return;
    const view = this.view;
    // Required fields are checked here first so an empty submit gets a clear message without a round trip.
    const blank = [...view.fields.values()].filter((f) => f.input instanceof HTMLInputElement && f.input.required && f.input.type !== 'checkbox' && !f.input.value);
    for (const f of view.fields.values()) f.showError(null);
    if (blank.length) {
      for (const f of blank) f.showError(this.t('model.validation.field.blank'));
      showAlert(view.alert, [this.t('error.fields')]);
      blank[0]!.input!.focus();
      return;
    }
    this.busy = true;
    view.button.disabled = true;
    view.root.setAttribute('aria-busy', 'true');
    try {
      await this.handle(await submit(this.form, collectBody(this.form.value, view.fields)));
    } catch (e) {
      this.fail(e);
    } finally {
      this.busy = false;
      view.button.disabled = false;
      view.root.removeAttribute('aria-busy');
    }
  }

  private showErrors(res: IdxResponse) {
    const view = this.view!;
    const byPath = fieldMessages(res.remediation?.value.find((f) => f.name === this.form!.name)?.value ?? []);
    let firstInvalid: HTMLElement | undefined;
    for (const [path, f] of view.fields) {
      const m = byPath.get(path);
      f.showError(m ? m.map((x) => messageText(x, this.t)).join(' ') : null);
      if (m && !firstInvalid) firstInvalid = f.input;
    }
    const global = (res.messages?.value ?? []).map((m) => messageText(m, this.t));
    showAlert(view.alert, global.length ? global : byPath.size ? [this.t('error.fields')] : [this.t('error.unexpected')]);
    // A wrong password is retyped: clear (and hide) secrets so the next attempt starts clean.
    const secrets = [...view.fields.values()].filter((f) => f.clearSecret);
    for (const f of secrets) f.clearSecret!();
    (firstInvalid ?? secrets[0]?.input ?? view.alert).focus();
  }

  private terminal(res: IdxResponse) {
    const keys = (res.messages?.value ?? []).map((m) => m.i18n?.key);
    if (this.cfg.codeChallenge && !this.cfg.stateToken) {
      // Backend-held PKCE: the app decides what happens next, so it gets an error on its redirect URI.
      const expired = keys.includes('idx.session.expired');
      return this.redirectError('access_denied', this.t(expired ? 'redirect.expired' : 'redirect.cancelled', (res.messages?.value[0]?.message)));
    }
    const texts = (res.messages?.value ?? []).map((m) => messageText(m, this.t));
    this.view = undefined;
    this.show(renderTerminal(texts.length ? texts : [this.t('error.unexpected')], this.t, this.cfg.stateToken ? undefined : () => void this.start()));
  }

  private async cancel() {
    if (!this.last?.cancel) return;
    try {
      await submit(this.last.cancel, collectBody(this.last.cancel.value, new Map()));
    } catch { /* the sign-in ends either way */ }
    if (this.cfg.codeChallenge && !this.cfg.stateToken) return this.redirectError('access_denied', this.t('redirect.cancelled'));
    void this.start();
  }

  private redirectError(error: string, description: string) {
    const url = new URL(this.cfg.redirectUri);
    url.searchParams.set('error', error);
    url.searchParams.set('error_description', description);
    url.searchParams.set('state', this.state);
    window.location.assign(url.href);
  }

  private async succeed(code: string) {
    if (this.mode === 'redirect' || !this.verifier) {
      const url = new URL(this.cfg.redirectUri);
      url.searchParams.set('interaction_code', code);
      url.searchParams.set('state', this.state);
      return window.location.assign(url.href);
    }
    const res = await exchangeCode(this.cfg.issuer, {
      grant_type: 'interaction_code', client_id: this.cfg.clientId, interaction_code: code, code_verifier: this.verifier, redirect_uri: this.cfg.redirectUri,
    });
    const tokens: Tokens = { accessToken: res.access_token!, idToken: res.id_token, refreshToken: res.refresh_token, expiresIn: Number(res.expires_in), scope: res.scope ?? '' };
    if (res.id_token) {
      try {
        const part = res.id_token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/');
        tokens.idTokenClaims = JSON.parse(decodeURIComponent(escape(atob(part))));
      } catch { /* claims are a convenience; the tokens stand */ }
    }
    this.handlers.onTokens(tokens);
  }

  private fail(e: unknown) {
    const err = e instanceof Error ? e : new Error(String(e));
    const text = e instanceof WidgetError && e.kind === 'network' ? this.t('error.network')
      : e instanceof WidgetError && e.kind === 'oauth' ? this.t('error.config') : this.t('error.unexpected');
    if (this.view && e instanceof WidgetError && e.kind === 'network') showAlert(this.view.alert, [text]);
    else {
      this.view = undefined;
      this.show(renderTerminal([text], this.t, this.cfg.stateToken ? undefined : () => void this.start()));
    }
    this.handlers.onError(err);
  }
}
