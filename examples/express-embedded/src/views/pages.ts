import { esc, page } from './layout.js';

export const home = (name: string | null) =>
  page('Home', name
    ? `<h1>Welcome back, ${esc(name)}</h1><p>You are signed in.</p><p><a href="/profile">Your profile</a></p>${signOutForm()}`
    : `<h1>Gatehouse embedded sign-in</h1><p>You are not signed in.</p><p><a class="button" href="/signin">Sign in</a></p>`);

export const signIn = (widget: { script: string; integrity: string; css: string; cssIntegrity: string }, config: unknown) =>
  page('Sign in', `<h1>Sign in</h1>
<div id="sign-in-widget"></div>
<script type="application/json" id="widget-config">${JSON.stringify(config).replace(/</g, '\\u003c')}</script>`,
  `<link rel="stylesheet" href="${esc(widget.css)}" integrity="${esc(widget.cssIntegrity)}" crossorigin="anonymous">
<script src="${esc(widget.script)}" integrity="${esc(widget.integrity)}" crossorigin="anonymous" defer></script>
<script src="/static/signin.js" defer></script>`);

export const profile = (claims: Record<string, unknown>) =>
  page('Profile', `<h1>${esc(claims.name ?? claims.preferred_username ?? 'Profile')}</h1>
<p id="email">${esc(claims.email ?? '')}</p>
<h2>Claims from v1/userinfo</h2>
<table><tbody>${Object.entries(claims).map(([k, v]) => `<tr><th scope="row">${esc(k)}</th><td>${esc(typeof v === 'object' ? JSON.stringify(v) : v)}</td></tr>`).join('')}</tbody></table>
${signOutForm()}`);

/** A magic link opened away from the tab that started: the widget's "enter the code in the original tab". */
export const enterCode = (otp: string) =>
  page('Your verification code', `<h1>Your verification code</h1>
<p>Enter this code in the tab or browser where you started:</p>
<p id="otp" class="otp">${esc(otp)}</p>
<p>If you didn't ask for it, ignore this message.</p>`);

export const error = (title: string, detail: string) =>
  page(title, `<h1>${esc(title)}</h1><p id="error-detail">${esc(detail)}</p><p><a href="/signin">Try signing in again</a></p>`);

const signOutForm = () => `<form method="post" action="/signout"><button type="submit">Sign out</button></form>`;
