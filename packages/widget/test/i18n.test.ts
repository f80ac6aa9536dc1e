// Languages in real Chromium against a real Gatehouse, the widget embedded on another origin under a strict CSP:
// English in the bundle, every other language fetched from the issuer's /widget/{version}/i18n-{lang}.json when
// chosen by `language` or by the browser; `i18n` overrides; Arabic laid out right to left; server messages shown
// by their i18n key in the user's language. And each language file has exactly the keys English has.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, withPage, type PageRecord } from './support/browser.js';
import { startServer, type TestServer } from '../../server/test/support/start-server.js';
import { startAppPage, type AppPage } from '../../server/test/support/app-page.js';
import { pkce } from '../../server/test/support/idx-client.js';

const require = createRequire(import.meta.url);
const axe = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const src = new URL('../src/', import.meta.url);
let gh: TestServer;
let app: AppPage;
let browser: Browser;
let web: { clientId: string };
let manifest: { version: string; files: Record<string, { path: string; integrity: string }> };

before(async () => {
  gh = await startServer();
  app = await startAppPage('localhost');
  await gh.createUser({ email: 'lang@example.com', password: 'a-long-password-1', firstName: 'Lang', lastName: 'User' });
  web = await gh.createApp({ name: 'Languages', redirectUris: [app.callbackUrl], trustedOrigins: [app.origin] });
  manifest = await (await fetch(`${gh.baseUrl}/widget/manifest.json`)).json();
  app.setPage('/start.js', `new GatehouseSignIn(JSON.parse(document.getElementById('cfg').textContent)).showSignInAndRedirect({ el: '#sign-in' });`);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await app?.close();
  await gh?.close();
});

/** The app page on its own origin: the widget from Gatehouse with SRI, connect-src Gatehouse only. */
function embedded(extra: Record<string, unknown> = {}) {
  const js = manifest.files['gatehouse-signin.js']!;
  const css = manifest.files['gatehouse-signin.css']!;
  const csp = `default-src 'none'; script-src 'self' ${gh.baseUrl}; style-src 'self' ${gh.baseUrl}; connect-src ${gh.baseUrl}; img-src 'self'; base-uri 'none'; form-action 'none'`;
  const config = { issuer: gh.issuer, clientId: web.clientId, redirectUri: app.callbackUrl, state: 'st1', codeChallenge: pkce().challenge, codeChallengeMethod: 'S256', ...extra };
  app.setPage('/', `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>App</title>
<link rel="stylesheet" href="${gh.baseUrl}${css.path}" integrity="${css.integrity}" crossorigin="anonymous">
<script src="${gh.baseUrl}${js.path}" integrity="${js.integrity}" crossorigin="anonymous"></script></head>
<body><main><div id="sign-in"></div></main>
<script type="application/json" id="cfg">${JSON.stringify(config).replace(/</g, '\\u003c')}</script><script src="/start.js"></script></body></html>`,
  { 'Content-Security-Policy': csp });
}

async function axeClean(p: Page, rec: PageRecord) {
  await p.evaluate(axe); // DevTools evaluation is not a page script, so the CSP does not apply to it
  const violations = await p.evaluate(async () => (await (window as any).axe.run('#sign-in')).violations.map((v: any) => `${v.id}: ${v.nodes.map((n: any) => n.target).join(' ')}`));
  assert.deepEqual(violations, []);
  assert.deepEqual(rec.cspViolations, []);
}

/** The English dictionary as src/i18n.ts defines it (the one in the bundle). */
function english(): Record<string, string> {
  const text = readFileSync(new URL('i18n.ts', src), 'utf8');
  const block = text.match(/const en: Dictionary = (\{[\s\S]*?\n\});/)![1]!;
  return new Function(`return ${block}`)();
}

test('every language file has exactly the keys English has, the same {0} parameters, and is built and served', async () => {
  const en = english();
  const files = readdirSync(new URL('locales/', src)).filter((f) => f.endsWith('.json')).sort();
  const langs = files.map((f) => f.slice(0, -5));
  assert.ok(langs.length + 1 >= 10, 'at least ten languages with English');
  const listed = readFileSync(new URL('i18n.ts', src), 'utf8').match(/export const LANGUAGES = (\[[^\]]*\])/)![1]!;
  assert.deepEqual(JSON.parse(listed.replace(/'/g, '"')), langs, 'LANGUAGES in i18n.ts lists the files in src/locales');
  for (const f of files) {
    const dict = JSON.parse(readFileSync(new URL(`locales/${f}`, src), 'utf8')) as Record<string, string>;
    assert.deepEqual(Object.keys(dict).sort(), Object.keys(en).sort(), `${f}: the keys of English`);
    for (const [k, v] of Object.entries(dict)) {
      assert.ok(typeof v === 'string' && v.trim(), `${f}: ${k} is text`);
      assert.equal(v.includes('{0}'), en[k]!.includes('{0}'), `${f}: ${k} has English's parameter`);
    }
    // Built next to the bundle, in the manifest, and served publicly (no credentials) to any origin.
    const asset = manifest.files[`i18n-${f.slice(0, -5)}.json`];
    assert.ok(asset, `${f} is in the widget manifest`);
    const r = await fetch(gh.baseUrl + asset.path);
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('access-control-allow-origin'), '*');
    assert.equal(r.headers.get('access-control-allow-credentials'), null);
    assert.match(r.headers.get('content-type')!, /^application\/json/);
    assert.deepEqual(await r.json(), dict);
  }
});

test('a language chosen by `language` is fetched from the issuer; server messages show by their key in it', async (t) => {
  embedded({ language: 'es' });
  await withPage(browser, t, async (p, rec) => {
    const fetched = p.waitForRequest((r) => r.url() === `${gh.baseUrl}/widget/${manifest.version}/i18n-es.json`);
    await p.goto(app.origin + '/');
    await fetched;
    await p.getByRole('heading', { name: 'Iniciar sesión' }).waitFor();
    assert.equal(await p.locator('.gh-widget').getAttribute('lang'), 'es');
    assert.equal(await p.locator('.gh-widget').getAttribute('dir'), 'ltr');
    await p.getByLabel('Nombre de usuario').fill('lang@example.com');
    await p.getByLabel('Contraseña', { exact: true }).fill('wrong-password-1');
    await p.getByRole('button', { name: 'Iniciar sesión', exact: true }).click();
    // errors.E0000004 from the server ("Authentication failed" in its message), in Spanish.
    await p.locator('.gh-alert').filter({ hasText: 'No se puede iniciar sesión' }).waitFor();
    assert.deepEqual(rec.cspViolations, []);
    // The language file came through CORS: no error about it (a 401 for the wrong password, a favicon 404 are fine).
    assert.deepEqual(rec.consoleErrors.filter((e) => /i18n|CORS|Access-Control/i.test(e)), []);
  });
});

test("without `language`, the browser's language picks (Japanese); one the widget lacks gets English", async (t) => {
  embedded();
  await withPage(browser, t, async (p) => {
    await p.goto(app.origin + '/');
    await p.getByRole('heading', { name: 'サインイン' }).waitFor();
    await p.getByLabel('ユーザー名').waitFor();
    assert.equal(await p.locator('.gh-widget').getAttribute('lang'), 'ja');
  }, { locale: 'ja-JP' });
  await withPage(browser, t, async (p) => {
    await p.goto(app.origin + '/');
    await p.getByRole('heading', { name: 'Sign In' }).waitFor();
    assert.equal(await p.locator('.gh-widget').getAttribute('lang'), 'en');
  }, { locale: 'sv-SE' });
});

test('`i18n` overrides any string of the chosen language, and can add a language of its own', async (t) => {
  embedded({ language: 'it', i18n: { it: { 'primaryauth.title': 'Benvenuto', Username: 'Email aziendale' } } });
  await withPage(browser, t, async (p) => {
    await p.goto(app.origin + '/');
    await p.getByRole('heading', { name: 'Benvenuto' }).waitFor();
    await p.getByLabel('Email aziendale').waitFor();
    await p.getByRole('button', { name: 'Accedi', exact: true }).waitFor(); // the rest from the Italian file
  });
  embedded({ language: 'sv', i18n: { sv: { 'primaryauth.title': 'Logga in' } } });
  await withPage(browser, t, async (p) => {
    await p.goto(app.origin + '/');
    await p.getByRole('heading', { name: 'Logga in' }).waitFor();
    await p.getByLabel('Username').waitFor(); // English for what the page did not give
    assert.equal(await p.locator('.gh-widget').getAttribute('lang'), 'sv');
  });
});

test('Arabic is laid out right to left, and axe finds nothing', async (t) => {
  embedded({ language: 'ar' });
  await withPage(browser, t, async (p, rec) => {
    await p.goto(app.origin + '/');
    await p.getByRole('heading', { name: 'تسجيل الدخول' }).waitFor();
    const root = p.locator('.gh-widget');
    assert.equal(await root.getAttribute('dir'), 'rtl');
    assert.equal(await root.getAttribute('lang'), 'ar');
    const label = p.locator('label.gh-label').filter({ hasText: 'اسم المستخدم' });
    const input = p.getByLabel('اسم المستخدم');
    assert.equal(await label.evaluate((el) => getComputedStyle(el).direction), 'rtl');
    // The label's text starts at the right: it ends at the input's right edge and begins well after its left.
    const l = await label.evaluate((el) => { const r = document.createRange(); r.selectNodeContents(el); const b = r.getBoundingClientRect(); return { x: b.x, width: b.width }; });
    const i = (await input.boundingBox())!;
    assert.ok(Math.abs(l.x + l.width - (i.x + i.width)) <= 2, `label text ends at the input's right edge (${l.x + l.width} vs ${i.x + i.width})`);
    assert.ok(l.x > i.x + i.width / 2, 'the label text is on the right');
    // The checkbox sits on the right of its label.
    const keep = p.getByLabel('إبقائي مسجلًا الدخول');
    if (await keep.count()) {
      const box = (await keep.boundingBox())!;
      const text = (await p.locator('label').filter({ hasText: 'إبقائي مسجلًا الدخول' }).boundingBox())!;
      assert.ok(box.x > text.x, 'checkbox right of its label');
    }
    await axeClean(p, rec);
    // A server message by its key, in Arabic, in the alert.
    await input.fill('lang@example.com');
    await p.getByLabel('كلمة المرور', { exact: true }).fill('wrong-password-1');
    await p.getByRole('button', { name: 'تسجيل الدخول', exact: true }).click();
    await p.locator('.gh-alert').filter({ hasText: 'تعذّر تسجيل الدخول' }).waitFor();
    await axeClean(p, rec);
  });
});
