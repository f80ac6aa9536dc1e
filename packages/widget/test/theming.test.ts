// Brand and theming as a public API: the custom properties and part names in the README are exactly the ones
// the stylesheet and the code define (a rename is a visible break); the hosted page shows the brand, the app's
// name and a heading, centred at 375 px and on a wide screen, light and dark, axe clean, under its CSP; its error
// pages share the layout and say what to do; the embedded widget takes the brand from its config, works in a
// shadow root styled through ::part, and follows prefers-reduced-motion; a blank password is a message on the
// password field, never a form message pointing at nothing. Real Gatehouse, real Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, withPage, type PageRecord } from './support/browser.js';
import { startServer, type TestServer } from '../../server/test/support/start-server.js';
import { startAppPage, type AppPage } from '../../server/test/support/app-page.js';
import { pkce } from '../../server/test/support/idx-client.js';
import { setBrand } from '../../server/src/identity/brand.js';

const require = createRequire(import.meta.url);
const axe = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const src = new URL('../src/', import.meta.url);
let gh: TestServer;
let app: AppPage;
let browser: Browser;
let shop: { clientId: string };
let manifest: { files: Record<string, { path: string; integrity: string }> };
const PASSWORD = 'a-long-password-1';

before(async () => {
  gh = await startServer();
  app = await startAppPage('localhost');
  shop = await gh.createApp({ name: 'Shop with a rather long application name', redirectUris: [app.callbackUrl], trustedOrigins: [app.origin] });
  await gh.createUser({ email: 'theme@example.com', password: PASSWORD });
  const store = gh.gatehouse.deps.store;
  await setBrand(store, null, { name: 'Acme', logoUrl: `${app.origin}/logo.svg`, background: '#fff8e7' }, Date.now());
  await setBrand(store, shop.clientId, { primaryColor: '#0b6b3a' }, Date.now());
  app.setPage('/logo.svg', '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"><rect width="120" height="40" fill="#0b6b3a"/></svg>', { 'Content-Type': 'image/svg+xml' });
  manifest = await (await fetch(`${gh.baseUrl}/widget/manifest.json`)).json();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await app?.close();
  await gh?.close();
});

const listIn = (md: string, label: string) => [...md.slice(md.indexOf(label + ':'), md.indexOf('.\n', md.indexOf(label + ':'))).matchAll(/`([^`]+)`/g)].map((m) => m[1]!);

test('the README lists exactly the custom properties the stylesheet defines and the part names the code makes', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const css = readFileSync(new URL('styles.css', src), 'utf8');
  const defined = [...new Set([...css.slice(0, css.indexOf('@media')).matchAll(/^\s*(--gh-[a-z-]+):/gm)].map((m) => m[1]!))];
  assert.deepEqual(listIn(readme, 'Custom properties').sort(), defined.sort());
  // Every gh- class is a part (render/dom.ts); dynamic ones are written out as `gh-alert-${kind}`.
  const code = readdirSync(src, { recursive: true }).filter((f) => String(f).endsWith('.ts')).map((f) => readFileSync(new URL(String(f), src), 'utf8')).join('\n');
  const parts = new Set<string>();
  for (const m of code.matchAll(/class: ['`]([^'`]+)['`]/g)) for (const c of m[1]!.split(' ')) parts.add(c.replace(/^gh-/, '').replace('${kind}', 'error'));
  parts.add('alert-info');
  assert.deepEqual(listIn(readme, 'Parts').sort(), [...parts].sort());
});

async function axeClean(p: Page, rec: PageRecord, where: string) {
  const n = rec.cspViolations.length;
  await p.evaluate(axe);
  const v = await p.evaluate(async () => (await (window as any).axe.run(document)).violations.map((x: any) => `${x.id}: ${x.nodes.map((n: any) => n.target).join(' ')}`));
  assert.deepEqual(v, [], where);
  await p.waitForFunction(() => true);
  rec.cspViolations.splice(n);
}

function authorizeUrl(clientId = shop.clientId) {
  const { challenge } = pkce();
  return `${gh.issuer}/v1/authorize?${new URLSearchParams({ client_id: clientId, response_type: 'code', scope: 'openid', redirect_uri: app.callbackUrl, state: 'st', code_challenge: challenge, code_challenge_method: 'S256' })}`;
}

const rgb = (hex: string) => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(', ')})`;

for (const [label, viewport, scheme] of [['375 px, light', { width: 375, height: 740 }, 'light'], ['1280 px, dark', { width: 1280, height: 800 }, 'dark']] as const) {
  test(`the hosted page at ${label}: logo, app name as the heading, brand colours, centred, no overflow, axe clean, CSP kept`, async (t) => {
    await withPage(browser, t, async (p, rec) => {
      await p.goto(authorizeUrl());
      const h1 = p.getByRole('heading', { level: 1 });
      assert.equal(await h1.textContent(), 'Sign in to Shop with a rather long application name');
      await p.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
      const logo = p.getByRole('img', { name: 'Acme' });
      assert.equal(await logo.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth > 0), true, 'the logo loads under the CSP');
      const look = await p.evaluate(() => {
        const w = document.querySelector('.gh-widget')!.getBoundingClientRect();
        const button = document.querySelector('.gh-button')!;
        return {
          left: w.left, right: innerWidth - w.right, scroll: document.documentElement.scrollWidth, width: innerWidth,
          button: getComputedStyle(button).backgroundColor, page: getComputedStyle(document.body).backgroundColor,
          widget: getComputedStyle(document.querySelector('.gh-widget')!).backgroundColor,
        };
      });
      assert.ok(Math.abs(look.left - look.right) <= 1, `centred: ${look.left} vs ${look.right}`);
      assert.ok(look.scroll <= look.width, 'no horizontal scrolling');
      // A brand's colours are chosen against white: the dark scheme keeps its own, readable ones.
      assert.equal(look.button, scheme === 'dark' ? rgb('#8ab4f8') : rgb('#0b6b3a'), "the app's primary colour");
      assert.equal(look.page, scheme === 'dark' ? rgb('#121214') : rgb('#fff8e7'), "the org's background");
      assert.equal(look.widget, scheme === 'dark' ? rgb('#1c1c1f') : rgb('#ffffff'));
      await axeClean(p, rec, label);
      assert.deepEqual(rec.cspViolations, []);
      assert.deepEqual(rec.consoleErrors, []);
    }, { viewport, colorScheme: scheme });
  });
}

test('the error pages share the layout and say what to do: unknown client, bad redirect URI', async (t) => {
  await withPage(browser, t, async (p, rec) => {
    const res = await p.goto(authorizeUrl('0oaUnknown'));
    assert.equal(res!.status(), 400);
    assert.equal(await p.getByRole('heading', { level: 1 }).textContent(), 'Unknown application');
    assert.match(await p.locator('.gh-page-card').textContent() ?? '', /client_id is missing or unknown.*Go back to the application/);
    assert.equal(await p.evaluate(() => getComputedStyle(document.body).display), 'flex', 'hosted.css applies');
    assert.notEqual(await p.evaluate(() => getComputedStyle(document.body).fontFamily), 'serif');
    await axeClean(p, rec, 'unknown client');
    await p.goto(authorizeUrl().replace(encodeURIComponent(app.callbackUrl), encodeURIComponent(app.origin + '/elsewhere')));
    assert.equal(await p.getByRole('heading', { level: 1 }).textContent(), 'Bad request');
    assert.match(await p.locator('.gh-page-card').textContent() ?? '', /redirect_uri.*tell its administrator/);
    assert.deepEqual(rec.cspViolations, []);
    assert.deepEqual(rec.consoleErrors.filter((e) => !/status of 400/.test(e)), []);
  }, { viewport: { width: 375, height: 700 } });
});

function embedInShadowRoot(brand: Record<string, unknown>) {
  const { challenge } = pkce();
  const js = manifest.files['gatehouse-signin.js']!;
  const css = manifest.files['gatehouse-signin.css']!;
  const csp = `default-src 'none'; script-src 'self' ${gh.baseUrl}; style-src 'self' ${gh.baseUrl}; connect-src ${gh.baseUrl}; img-src 'self' data:; base-uri 'none'; form-action 'none'`;
  const cfg = { issuer: gh.issuer, clientId: shop.clientId, redirectUri: app.callbackUrl, state: 'st', codeChallenge: challenge, codeChallengeMethod: 'S256', brand };
  app.setPage('/page.css', 'gh-host::part(button) { border-radius: 0; } gh-host::part(title) { letter-spacing: 2px; }', { 'Content-Type': 'text/css' });
  app.setPage('/shadow.js', `const host = document.querySelector('gh-host');
const root = host.attachShadow({ mode: 'open' });
const link = document.createElement('link'); link.rel = 'stylesheet'; link.href = ${JSON.stringify(gh.baseUrl + css.path)};
const el = document.createElement('div'); root.append(link, el);
new GatehouseSignIn(JSON.parse(document.getElementById('cfg').textContent)).showSignInAndRedirect({ el });`, { 'Content-Type': 'text/javascript' });
  app.setPage('/', `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shadow</title><link rel="icon" href="data:,"><link rel="stylesheet" href="/page.css">
<script src="${gh.baseUrl}${js.path}" integrity="${js.integrity}" crossorigin="anonymous"></script></head>
<body><main><h1>Shop</h1><gh-host></gh-host></main>
<script type="application/json" id="cfg">${JSON.stringify(cfg).replace(/</g, '\\u003c')}</script><script src="/shadow.js"></script></body></html>`,
  { 'Content-Security-Policy': csp });
}

test('in a shadow root the widget takes the brand from its config and the page styles it through ::part; motion follows the preference', async (t) => {
  for (const reducedMotion of ['reduce', 'no-preference'] as const) {
    await withPage(browser, t, async (p, rec) => {
      embedInShadowRoot({ name: 'Acme', primaryColor: '#7a1fa2' });
      await p.goto(app.origin + '/');
      await p.getByRole('button', { name: 'Sign in', exact: true }).waitFor(); // Playwright's locators pierce open shadow roots
      assert.equal(await p.getByText('Acme', { exact: true }).getAttribute('part'), 'brand-name');
      const look = await p.getByRole('button', { name: 'Sign in', exact: true }).evaluate((b) => ({ bg: getComputedStyle(b).backgroundColor, radius: getComputedStyle(b).borderTopLeftRadius, transition: getComputedStyle(b).transitionDuration }));
      assert.equal(look.bg, rgb('#7a1fa2'));
      assert.equal(look.radius, '0px', '::part(button) from the page applies');
      assert.equal(look.transition, reducedMotion === 'reduce' ? '0s' : '0.15s, 0.15s');
      assert.equal(await p.getByRole('heading', { name: 'Sign In' }).evaluate((h) => getComputedStyle(h).letterSpacing), '2px');
      assert.deepEqual(rec.cspViolations, []);
      assert.deepEqual(rec.consoleErrors, []);
    }, { reducedMotion });
  }
});

test('a blank password is a message on the password field, not a form message pointing at nothing', async (t) => {
  await withPage(browser, t, async (p) => {
    await p.goto(authorizeUrl());
    await p.getByLabel('Username').fill('theme@example.com');
    await p.getByRole('button', { name: 'Sign in', exact: true }).click();
    const password = p.getByLabel('Password', { exact: true });
    await p.waitForFunction(() => document.querySelector('input[type=password]')?.getAttribute('aria-invalid') === 'true');
    const described = await password.getAttribute('aria-describedby');
    assert.ok(described);
    assert.match(await p.locator(`#${described!.split(' ')[0]}`).textContent() ?? '', /blank/);
    assert.equal(await p.locator('[aria-invalid="true"]').count(), 1, 'the form-level "Correct the highlighted fields." has a field to point at');
  });
});
