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

export const error = (title: string, detail: string) =>
  page(title, `<h1>${esc(title)}</h1><p id="error-detail">${esc(detail)}</p><p><a href="/signin">Try signing in again</a></p>`);

const signOutForm = () => `<form method="post" action="/signout"><button type="submit">Sign out</button></form>`;
