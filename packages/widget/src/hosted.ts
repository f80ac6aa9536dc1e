// The hosted sign-in page's starter: reads the JSON configuration the server put in the page (no inline
// script, so the page's CSP forbids them) and resumes the transaction the server started. The brand's
// background goes on the page through the CSSOM, which the CSP allows (a style attribute it would not).
const el = document.getElementById('gh-config');
const config = el ? JSON.parse(el.textContent ?? '{}') : null;
const SignIn = (window as unknown as { GatehouseSignIn?: new (c: unknown) => { showSignIn(o: { el: string }): Promise<unknown> } }).GatehouseSignIn;
if (config?.brand?.background) document.body.style.setProperty('--gh-brand-bg', config.brand.background);
if (config && SignIn) void new SignIn(config).showSignIn({ el: '#gh-sign-in' });
