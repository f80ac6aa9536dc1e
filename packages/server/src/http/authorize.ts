// GET {issuer-base}/v1/authorize (RFC 6749 §4.1; PKCE S256 per app, see idx/interact.ts): with a live IdP session the browser
// goes back at once with a code (unless prompt=login); otherwise the hosted sign-in page runs the same
// widget against the same IDX engine. Until client and redirect URI are known to match, errors are a page,
// never a redirect (RFC 6749 §4.1.2.1).
import { randomBytes } from 'node:crypto';
import type { HttpContext, Route } from './context.js';
import { currentSignIn } from './context.js';
import { sendHtml } from './respond.js';
import { errorPage, logoOrigin, page } from './page.js';
import { resolveBrand } from '../identity/brand.js';
import type { Brand } from '../store/interfaces.js';
import { OAuthError } from '../oauth/errors.js';
import { startTransaction } from '../idx/interact.js';
import { completeFromSession, resumeFromSession, sessionMeetsPolicy } from '../idx/engine.js';
import { widgetAsset } from './widget-assets.js';
import { issuerOf } from '../deps.js';
import { authorizationResponseUrl } from '../oauth/authorization-response.js';
import { refuseControlCharacters } from '../oauth/params.js';
import { isRegisteredRedirectUri } from '../oauth/redirect-uri.js';

function redirectWith(ctx: HttpContext, redirectUri: string, params: Record<string, string | null | undefined>) {
  const location = authorizationResponseUrl(redirectUri, issuerOf(ctx.deps.cfg, ctx.server), params);
  ctx.res.writeHead(302, { Location: location, 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' });
  ctx.res.end();
}

export const authorize: Route = {
  methods: ['GET'], family: 'html',
  handler: async (ctx) => {
    const { deps, url } = ctx;
    const p: Record<string, string | undefined> = {};
    for (const [k, v] of url.searchParams) {
      if (k in p) return sendHtml(ctx.res, 400, errorPage('Bad request', `The ${k.slice(0, 40)} parameter is repeated.`, FIX_THE_LINK));
      p[k] = v;
    }
    refuseControlCharacters(p);
    const app = p.client_id && p.client_id.length <= 200 ? await deps.store.apps.findByClientId(p.client_id) : null;
    if (!app) return sendHtml(ctx.res, 400, errorPage('Unknown application', 'The client_id is missing or unknown.', FIX_THE_LINK));
    if (!p.redirect_uri || !isRegisteredRedirectUri(app.redirectUris, p.redirect_uri)) {
      return sendHtml(ctx.res, 400, errorPage('Bad request', "The 'redirect_uri' parameter must be a Login redirect URI in the client app settings.", FIX_THE_LINK));
    }
    const back = (error: string, description: string) => redirectWith(ctx, p.redirect_uri!, { error, error_description: description, state: p.state });
    if (p.response_type !== 'code') return back('unsupported_response_type', 'Only response_type=code is supported.');
    if (!app.grantTypes.includes('authorization_code')) return back('unauthorized_client', 'The client is not authorized to use the authorization code flow.');
    const prompt = p.prompt ?? '';
    if (!['', 'none', 'login'].includes(prompt)) return back('invalid_request', 'The prompt value is not supported.');

    let started;
    try {
      started = await startTransaction(deps, ctx.server, app, 'authorize', p);
    } catch (e) {
      if (e instanceof OAuthError) return back(e.error, e.description);
      throw e;
    }
    const { tx } = started;

    const signedIn = await currentSignIn(ctx);
    if (signedIn && prompt !== 'login') {
      if (await sessionMeetsPolicy(deps, app, tx, signedIn.session)) {
        const code = await completeFromSession(deps, tx, signedIn.session);
        return redirectWith(ctx, tx.redirectUri, { code, state: tx.state });
      }
      // Step-up: the session is not strong enough for this app or these acr_values; ask only for what is missing.
      if (prompt === 'none') return back('interaction_required', 'The sign-in needs another factor.');
      await resumeFromSession(deps, app, tx, signedIn.session, signedIn.user.login);
    } else if (prompt === 'none') return back('login_required', 'The user is not signed in.');
    sendHostedPage(ctx, app.name, app.frameAncestors, started.stateHandle, app.clientId, tx.redirectUri, await resolveBrand(deps.store, app.clientId));
  },
};

/** What the person who made a broken sign-in link can do about it. */
const FIX_THE_LINK = 'Go back to the application and start signing in again. If this keeps happening, the application is not set up with this sign-in service as it should be: tell its administrator (gatehouse app list shows the registered client ids and redirect URIs).';

function sendHostedPage(ctx: HttpContext, appName: string, frameAncestors: string[], stateHandle: string, clientId: string, redirectUri: string, brand: Brand) {
  const nonce = randomBytes(16).toString('base64');
  const js = widgetAsset('gatehouse-signin.js');
  const css = widgetAsset('gatehouse-signin.css');
  const hosted = widgetAsset('hosted.js');
  // The header shows the logo and name; the widget gets the colours (the page's background through hosted.js).
  const orgBrand = { ...brand, name: brand.name ?? ctx.deps.cfg.brandName };
  const config = JSON.stringify({ issuer: ctx.deps.cfg.baseUrl + ctx.server.issuerPath, clientId, redirectUri, stateToken: stateHandle,
    brand: { primaryColor: brand.primaryColor, background: brand.background } })
    .replace(/</g, '\\u003c');
  const html = page({
    title: `Sign in to ${appName}`, heading: `Sign in to ${appName}`, brand: orgBrand,
    head: css ? `\n<link rel="stylesheet" href="${css.path}" integrity="${css.sri}" crossorigin="anonymous">` : '',
    body: '<div id="gh-sign-in"></div>',
    scripts: `
<script type="application/json" id="gh-config" nonce="${nonce}">${config}</script>
${js ? `<script src="${js.path}" integrity="${js.sri}" crossorigin="anonymous" nonce="${nonce}"></script>` : ''}
${hosted ? `<script src="${hosted.path}" integrity="${hosted.sri}" crossorigin="anonymous" nonce="${nonce}"></script>` : ''}
`,
  });
  const ancestors = frameAncestors.length ? frameAncestors.join(' ') : "'none'";
  const logo = logoOrigin(brand);
  sendHtml(ctx.res, 200, html, {
    'Content-Security-Policy': `default-src 'none'; script-src 'nonce-${nonce}' 'strict-dynamic'; style-src 'self'; img-src 'self' data:${logo ? ` ${logo}` : ''}; connect-src 'self'; form-action 'self'; frame-ancestors ${ancestors}; base-uri 'none'`,
    ...(frameAncestors.length ? {} : { 'X-Frame-Options': 'DENY' }),
  });
}

