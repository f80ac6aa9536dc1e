// Gatehouse sign-in widget: `new GatehouseSignIn(config).showSignIn({ el })`, with `OktaSignIn` as an alias
// so pages written for Okta's widget work unchanged.
import { normaliseConfig, type Tokens, type WidgetConfig } from './config.js';
import { SignInFlow, type Mode } from './flow.js';

export type { Tokens, WidgetConfig };

export interface ShowOptions {
  /** The element, or a CSS selector for it. */
  el: string | HTMLElement;
}

export class GatehouseSignIn {
  private readonly config: ReturnType<typeof normaliseConfig>;
  private flow?: SignInFlow;

  constructor(config: WidgetConfig) {
    this.config = normaliseConfig(config);
  }

  /**
   * Renders the widget. With `codeChallenge` (the app's backend holds the verifier) it ends by sending the
   * browser to `redirectUri?interaction_code=…&state=…`; without, it redeems the code itself and resolves
   * with the tokens.
   * @example new GatehouseSignIn({ issuer, clientId, redirectUri, state, codeChallenge }).showSignIn({ el: '#sign-in' })
   */
  showSignIn(opts: ShowOptions): Promise<{ tokens: Tokens }> {
    return this.run(opts, this.config.codeChallenge ? 'redirect' : 'tokens');
  }

  /** Always ends in a redirect to the redirect URI. @example widget.showSignInAndRedirect({ el: '#sign-in' }) */
  showSignInAndRedirect(opts: ShowOptions): Promise<void> {
    return this.run(opts, 'redirect').then(() => undefined);
  }

  /** Resolves with the tokens (relying-party mode, widget-held PKCE). @example const { tokens } = await w.showSignInToGetTokens({ el }) */
  async showSignInToGetTokens(opts: ShowOptions): Promise<Tokens> {
    return (await this.run(opts, 'tokens')).tokens;
  }

  /** Removes the widget from the page. */
  remove() {
    this.flow?.remove();
    this.flow = undefined;
  }

  private run(opts: ShowOptions, mode: Mode): Promise<{ tokens: Tokens }> {
    const el = typeof opts.el === 'string' ? document.querySelector<HTMLElement>(opts.el) : opts.el;
    if (!el) return Promise.reject(new Error(`GatehouseSignIn: no element ${String(opts.el)}`));
    return new Promise((resolve) => {
      this.flow = new SignInFlow(this.config, el, mode, {
        onTokens: (tokens) => resolve({ tokens }),
        onError: () => { /* shown in the widget; the user can retry, so the promise stays pending */ },
      });
      void this.flow.start();
    });
  }
}

export { GatehouseSignIn as OktaSignIn };
export default GatehouseSignIn;
