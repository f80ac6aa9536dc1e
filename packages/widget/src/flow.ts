// The sign-in flow: start (interact + introspect, or introspect a stateToken), render the first remediation,
// submit, and end in a redirect (interaction_code, or error), a hosted success redirect, or tokens.
// Error responses keep the current form and stateHandle: messages are shown on it, input is kept. Sibling
// forms and actions (recover, resend, select-identify, …) are links under the form; `poll` runs on a timer
// while its view shows, paused during a submit.
import type { IdxForm, IdxResponse } from '@gatehouse/protocol';
import { exchangeCode, interact, introspect, submit, WidgetError, type IdxResult } from './client.js';
import type { Tokens, WidgetConfig } from './config.js';
import { assetBase, translator, type Translate } from './i18n.js';
import { createPkce, randomString } from './pkce.js';
import { h } from './render/dom.js';
import { collectBody, fieldMessages, placeMessages, type RenderedField } from './render/fields.js';
import { create, failureKey, get, hasConditional } from './webauthn.js';
import { TERMINALS } from './render/names.js';
import { current, isWebauthn, messageText, renderForm, resolve, renderLoading, renderTerminal, showAlert, type FormView, type Go } from './render/view.js';

export type Mode = 'redirect' | 'tokens';

export interface FlowHandlers {
  onTokens(tokens: Tokens): void;
  onError(err: Error): void;
}

export class SignInFlow {
  private readonly t: Translate;
  /** The chosen language's file, fetched while the first IDX calls run. */
  private readonly ready: Promise<string>;
  private readonly root: HTMLElement;
  private state: string;
  private verifier?: string;
  private view?: FormView;
  private form?: IdxForm;
  private last?: IdxResponse;
  private busy = false;
  /** Bumped whenever the view changes; a poll timer from an older view stops. */
  private gen = 0;
  private timer?: ReturnType<typeof setTimeout>;
  /** The pending passkey autofill request (conditional mediation), aborted when the view changes. */
  private abort?: AbortController;

  constructor(private readonly cfg: WidgetConfig & { scopes: string[] }, container: HTMLElement, private readonly mode: Mode, private readonly handlers: FlowHandlers) {
    const strings = translator(cfg.language, cfg.i18n, assetBase(cfg.issuer, cfg.assets?.baseUrl));
    this.t = strings.t;
    this.state = cfg.state ?? randomString(24);
    // lang and dir at once, so a right-to-left language is laid out right to left from the first paint.
    this.root = h('div', { class: 'gh-widget', lang: strings.lang, dir: strings.dir });
    this.ready = strings.ready.then((lang) => {
      // The file could not be had: English, left to right.
      if (lang !== strings.lang) {
        this.root.lang = lang;
        this.root.dir = 'ltr';
      }
      return lang;
    });
    const brand = cfg.brand ?? {};
    const name = brand.name ?? cfg.brandName;
    // CSSOM, not a style attribute: allowed under a CSP without 'unsafe-inline'.
    // The brand's colour is for the light scheme (styles.css); a page's own `theme` wins in both.
    const theme = { ...(brand.primaryColor ? { '--gh-brand-primary': brand.primaryColor } : {}), ...cfg.theme };
    for (const [k, v] of Object.entries(theme)) if (k.startsWith('--gh-')) this.root.style.setProperty(k, v);
    if (name || brand.logoUrl) {
      this.root.append(h('div', { class: 'gh-brand' }, brand.logoUrl ? h('img', { class: 'gh-logo', src: brand.logoUrl, alt: name ?? '' }) : null,
        name && !brand.logoUrl ? h('p', { class: 'gh-brand-name' }, name) : null));
    }
    container.replaceChildren(this.root);
  }

  /** Removes the widget from the page. */
  remove() {
    this.stop();
    this.root.remove();
  }

  async start() {
    // The IDX calls start at once; the first view (even "Loading…") waits for the language file.
    const first = this.begin();
    first.catch(() => { /* handled below */ });
    await this.ready;
    this.show(renderLoading(this.t));
    try {
      await this.handle(await first);
    } catch (e) {
      this.fail(e);
    }
  }

  /** interact + introspect (or introspect a stateToken): the first IDX response. */
  private async begin(): Promise<IdxResult> {
    if (this.cfg.stateToken) return introspect(this.cfg.issuer, { stateToken: this.cfg.stateToken });
    let challenge = this.cfg.codeChallenge;
    if (!challenge) {
      const p = await createPkce();
      this.verifier = p.verifier;
      challenge = p.challenge;
    }
    const handle = await interact(this.cfg.issuer, {
      client_id: this.cfg.clientId, scope: this.cfg.scopes.join(' '), redirect_uri: this.cfg.redirectUri, state: this.state,
      nonce: this.cfg.nonce ?? randomString(24), code_challenge: challenge, code_challenge_method: 'S256', recovery_token: this.cfg.recoveryToken,
    });
    return introspect(this.cfg.issuer, { interactionHandle: handle });
  }

  private stop() {
    this.gen++;
    clearTimeout(this.timer);
    this.abort?.abort();
  }

  private show(node: HTMLElement) {
    this.stop();
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
    this.last = res;
    this.renderStep(next);
    if (!r.ok) this.showErrors(res);
    else if (res.messages?.value.length) showAlert(this.view!.alert, res.messages.value.map((m) => messageText(m, this.t)), 'info');
  }

  /** Renders `form` from the last response: the first remediation, or a sibling opened here (`opened`). */
  private renderStep(form: IdxForm, opened = false) {
    const res = this.last!;
    const username = (v?: FormView) => [...(v?.fields.values() ?? [])].find((f) => f.input?.getAttribute('autocomplete')?.startsWith('username'))?.input as HTMLInputElement | undefined;
    const typed = username(this.view)?.value;
    this.form = form;
    const view = renderForm(form, res, this.t, { canCancel: !!res.cancel, opened, go: (kind, name) => void this.go(kind, name) });
    this.view = view;
    view.root.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.submitCurrent();
    });
    view.cancel?.addEventListener('click', () => void this.cancel());
    this.show(view.root);
    // A username typed on the sign-in form carries over (Forgot password? → identify-recovery).
    const id = username(view);
    if (id && !id.value && typed) id.value = typed;
    const first = [...view.fields.values()].find((f) => f.input && !(f.input as HTMLInputElement).value);
    (first?.input ?? view.title).focus();
    if (!opened) {
      this.poll();
      void this.autofill();
    }
  }

  /** The passkey form beside the current one (identify's challenge-webauthn-autofillui-authenticator), if any. */
  private passkeyForm() {
    return this.last?.remediation?.value.find((f) => f !== this.form && isWebauthn(f));
  }

  /**
   * Passkey autofill: a conditional-mediation request that the browser answers when the user picks a passkey in
   * the username field. A browser without it gets the "Sign in with a passkey" button (a modal request) instead.
   */
  private async autofill() {
    const form = this.passkeyForm();
    const view = this.view;
    if (!form || !view) return;
    if (await hasConditional()) {
      if (this.view === view) void this.webauthn(form, 'conditional');
    } else if (view.passkey) view.passkey.hidden = false;
  }

  /**
   * Runs the WebAuthn ceremony a form asks for (create with `activationData`, get with `challengeData`) and posts
   * what the browser made; the credentials sent are those the form declares (userHandle only where asked for).
   */
  private async webauthn(form: IdxForm, mediation?: 'conditional') {
    const view = this.view!;
    const res = this.last!;
    const rel = (resolve(res, form.relatesTo?.[0]) ?? current(res)) as Record<string, any> | undefined;
    const data = rel?.contextualData ?? rel ?? {};
    this.abort?.abort();
    const abort = (this.abort = new AbortController());
    // The passkey form beside the sign-in form: after a modal attempt, the autofill request starts again.
    const again = () => form !== this.form && !mediation && this.view === view && void this.autofill();
    if (!mediation) view.button.disabled = true;
    let made: Record<string, unknown>;
    try {
      made = data.activationData ? await create(data.activationData)
        : await get(data.challengeData, data.challengeData && rel === current(res) ? res.authenticatorEnrollments?.value ?? [] : [], abort.signal, mediation);
    } catch (e) {
      // A conditional request ends quietly (aborted on leaving, or replaced by the passkey button).
      if (!mediation && this.view === view) showAlert(view.alert, [this.t(failureKey(e))]);
      return again();
    } finally {
      if (!mediation) view.button.disabled = false;
    }
    if (this.view !== view) return;
    const names = form.value.find((f) => f.name === 'credentials')?.form?.value.map((f) => f.name) ?? [];
    const body = collectBody(form.value, new Map());
    body.credentials = Object.fromEntries(Object.entries(made).filter(([k, v]) => names.includes(k) && v != null));
    const gen = this.gen;
    await this.run(form, body);
    // A refused passkey keeps the sign-in form (nothing stopped it): offer the autofill again.
    if (gen !== this.gen) return;
    if (mediation) void this.autofill();
    else again();
  }

  private go: Go = async (kind, name) => {
    const res = this.last!;
    const forms = res.remediation?.value ?? [];
    if (kind === 'back') return this.renderStep(forms[0]!);
    const sibling = forms.find((f) => f.name === name);
    if (kind === 'passkey') return this.webauthn(sibling!);
    if (kind === 'open') return this.renderStep(sibling!, true);
    const form = kind === 'action' ? (current(res) as Record<string, IdxForm> | undefined)?.[name] : sibling;
    if (form) await this.run(form, collectBody(form.value, new Map()), name === 'resend');
  };

  /** Same remediations and authenticator: an action's or a poll's answer that needs no new view. */
  private same(res: IdxResponse) {
    const key = (x?: IdxResponse) => `${x?.remediation?.value.map((f) => f.name)}|${x && current(x)?.id}`;
    return key(res) === key(this.last);
  }

  private update(res: IdxResponse) {
    this.last = res;
    this.form = res.remediation?.value.find((f) => f.name === this.form?.name) ?? this.form;
  }

  /** Polls the current authenticator's `poll` action every `refresh` ms while this view shows. */
  private poll(wait?: number) {
    clearTimeout(this.timer);
    const p = this.last && (current(this.last)?.poll as (IdxForm & { refresh?: number }) | undefined);
    if (!p) return;
    const gen = this.gen;
    this.timer = setTimeout(async () => {
      if (gen !== this.gen) return;
      if (this.busy) return this.poll();
      let r: IdxResult | undefined;
      try {
        r = await submit(p, collectBody(p.value, new Map()));
      } catch { /* a network blip: try again at the next tick */ }
      if (gen !== this.gen) return;
      // Too many requests: wait a minute, say nothing. Other errors that keep the form are retried quietly.
      if (!r || this.busy || r.status === 429 || (!r.ok && r.body.remediation)) return this.poll(r?.status === 429 ? 60_000 : undefined);
      if (r.ok && this.same(r.body)) {
        this.update(r.body);
        return this.poll();
      }
      await this.handle(r);
    }, wait ?? Math.max(1000, Number(p.refresh) || 4000));
  }

  private async submitCurrent() {
    if (this.busy || !this.form || !this.view) return;
    const view = this.view;
    // Required fields and local checks (password rules, the confirmation) first, without a round trip.
    const bad: RenderedField[] = [];
    for (const f of view.fields.values()) {
      const i = f.input;
      const text = i?.required && i.type !== 'checkbox' && !i.value ? this.t('model.validation.field.blank') : f.check?.() ?? null;
      f.showError(text);
      if (text) bad.push(f);
    }
    if (bad.length) {
      showAlert(view.alert, [this.t('error.fields')]);
      bad[0]!.input!.focus();
      return;
    }
    if (isWebauthn(this.form)) return this.webauthn(this.form);
    await this.run(this.form, collectBody(this.form.value, view.fields));
  }

  /** Posts a form (the current one, a sibling or an action); `quiet` keeps the view when the state is unchanged. */
  private async run(form: IdxForm, body: Record<string, unknown>, quiet = false) {
    const view = this.view;
    if (this.busy || !view) return;
    this.busy = true;
    view.button.disabled = true;
    view.root.setAttribute('aria-busy', 'true');
    try {
      const r = await submit(form, body);
      if (quiet && r.ok && this.same(r.body)) {
        this.update(r.body);
        showAlert(view.alert, [this.t('resent')], 'info');
      } else await this.handle(r);
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
    const { on, rest } = placeMessages(fieldMessages(res.remediation?.value.find((f) => f.name === this.form!.name)?.value ?? []), view.fields);
    let firstInvalid: HTMLElement | undefined;
    for (const f of view.fields.values()) {
      const m = on.get(f);
      f.showError(m ? m.map((x) => messageText(x, this.t)).join(' ') : null);
      if (m && !firstInvalid) firstInvalid = f.input;
    }
    // A field message the widget cannot place is shown on the form, never dropped.
    const global = [...(res.messages?.value ?? []), ...rest].map((m) => messageText(m, this.t));
    showAlert(view.alert, global.length ? global : on.size ? [this.t('error.fields')] : [this.t('error.unexpected')]);
    // A wrong password is retyped: clear (and hide) secrets so the next attempt starts clean.
    const secrets = [...view.fields.values()].filter((f) => f.clearSecret);
    for (const f of secrets) f.clearSecret!();
    (firstInvalid ?? secrets[0]?.input ?? view.alert).focus();
  }

  private terminal(res: IdxResponse) {
    const keys = (res.messages?.value ?? []).map((m) => m.i18n?.key);
    // Only news (idx.recovery.completed): say it, and offer to sign in again.
    const info = !!keys.length && res.messages!.value.every((m) => m.class === 'INFO');
    if (this.cfg.codeChallenge && !this.cfg.stateToken && !info) {
      // Backend-held PKCE: the app decides what happens next, so it gets an error on its redirect URI.
      const expired = keys.includes('idx.session.expired');
      return this.redirectError('access_denied', this.t(expired ? 'redirect.expired' : 'redirect.cancelled', (res.messages?.value[0]?.message)));
    }
    const texts = (res.messages?.value ?? []).map((m) => messageText(m, this.t));
    this.view = undefined;
    this.show(renderTerminal(texts.length ? texts : [this.t('error.unexpected')], this.t, this.cfg.stateToken ? undefined : () => void this.start(), info ? 'info' : 'error', TERMINALS[keys[0]!]));
  }

  private async cancel() {
    if (!this.last?.cancel) return;
    this.stop();
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
    this.stop();
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
