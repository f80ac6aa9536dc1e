import { esc, page } from './layout.js';

/** Notices the home page shows after a redirect (fixed texts: the query only picks one). */
export const NOTICES = { cancelled: 'Sign-in cancelled.', 'signed-out': 'You are signed out.' } as const;

export const home = (name: string | null, notice?: keyof typeof NOTICES) =>
  page('Home', (notice ? `<p class="notice" role="status">${esc(NOTICES[notice])}</p>` : '') + (name
    ? `<h1>Welcome back, ${esc(name)}</h1><p>You are signed in.</p><p><a href="/profile">Your profile</a></p>${signOutForm()}`
    : `<h1>Gatehouse embedded sign-in</h1><p>You are not signed in.</p><p><a class="button" href="/signin">Sign in</a></p>`));

export const signIn = (widget: { script: string; integrity: string; css: string; cssIntegrity: string }, config: unknown) =>
  page('Sign in', `<div id="sign-in-widget"></div>
<script type="application/json" id="widget-config">${JSON.stringify(config).replace(/</g, '\\u003c')}</script>`,
  `<link rel="stylesheet" href="${esc(widget.css)}" integrity="${esc(widget.cssIntegrity)}" crossorigin="anonymous">
<script src="${esc(widget.script)}" integrity="${esc(widget.integrity)}" crossorigin="anonymous" defer></script>
<script src="/static/signin.js" defer></script>`);

export const profile = (claims: Record<string, unknown>) =>
  page('Profile', `<h1>${esc(claims.name ?? claims.preferred_username ?? 'Profile')}</h1>
<p id="email">${esc(claims.email ?? '')}</p>
<h2>Claims from v1/userinfo</h2>
<table><tbody>${Object.entries(claims).map(([k, v]) => `<tr><th scope="row">${esc(k)}</th><td>${claimValue(k, v)}</td></tr>`).join('')}</tbody></table>
${signOutForm()}`);

/** A magic link opened away from the tab that started: the widget's "enter the code in the original tab". */
export const enterCode = (otp: string) =>
  page('Your verification code', `<h1>Your verification code</h1>
<p>Enter this code in the tab or browser where you started:</p>
<p id="otp" class="otp">${esc(otp)}</p>
<p>If you didn't ask for it, ignore this message.</p>`);

export const error = (title: string, detail: string) =>
  page(title, `<h1>${esc(title)}</h1><p id="error-detail">${esc(detail)}</p><p><a href="/signin">Try signing in again</a></p>`);

// OIDC Core §5.1 and §2: these claims are seconds since the epoch; shown as dates (UTC), the instant in datetime.
const DATE_CLAIMS = new Set(['updated_at', 'auth_time', 'iat', 'exp']);
function claimValue(k: string, v: unknown): string {
  if (DATE_CLAIMS.has(k) && typeof v === 'number' && Number.isFinite(v)) {
    const d = new Date(v * 1000);
    return `<time datetime="${d.toISOString()}">${esc(d.toISOString().replace('T', ' ').slice(0, 16))} UTC</time>`;
  }
  return esc(typeof v === 'object' ? JSON.stringify(v) : v);
}

const signOutForm = () => `<form method="post" action="/signout"><button type="submit">Sign out</button></form>`;
