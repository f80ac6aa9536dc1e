// Widget figures: gzipped bundle sizes (ours and Okta's) and the time from navigation to an interactive
// sign-in form (the username input visible and enabled), median of several loads in Debian's chromium.
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createHash, randomBytes } from 'node:crypto';
import { startGatehouse, createApp } from '../../packages/server/dist/index.js';

const require = createRequire(import.meta.url);
const LOADS = 7;

export async function widgetBench() {
  const oktaDist = join(dirname(require.resolve('@okta/okta-signin-widget/package.json')), 'dist');
  const ours = readFileSync(new URL('../../packages/widget/dist/gatehouse-signin.js', import.meta.url));
  const oursCss = readFileSync(new URL('../../packages/widget/dist/gatehouse-signin.css', import.meta.url));
  const okta = readFileSync(join(oktaDist, 'js/okta-sign-in.min.js'));
  const oktaCss = readFileSync(join(oktaDist, 'css/okta-sign-in.min.css'));
  const gz = (b) => gzipSync(b, { level: 9 }).length;
  const sizes = { ours: { js: ours.length, jsGz: gz(ours), cssGz: gz(oursCss) }, okta: { js: okta.length, jsGz: gz(okta), cssGz: gz(oktaCss) } };
  if (!existsSync('/usr/bin/chromium')) return { sizes, timing: null };

  const { chromium } = await import('playwright-core');
  const gh = await startGatehouse({ env: { GATEHOUSE_TEST: '1' }, config: { port: 0, db: `sqlite:/tmp/gatehouse-widget-bench-${process.pid}.db`, secret: 'bench-secret-bench-secret-bench-secret-0', logLevel: 'silent' }, baseUrlFromPort: true });
  const pages = new Map();
  const server = createServer((req, res) => {
    const p = pages.get(new URL(req.url, 'http://x').pathname);
    if (!p) { res.writeHead(404); res.end(); return; }
    res.writeHead(200, { 'content-type': p.type });
    res.end(p.body);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://localhost:${server.address().port}`;
  const { app } = await createApp(gh.deps.store, { name: 'bench', type: 'web', redirectUris: [`${origin}/cb`], trustedOrigins: [origin] }, Date.now());
  const challenge = createHash('sha256').update(randomBytes(32).toString('base64url')).digest('base64url');
  const config = JSON.stringify({ issuer: gh.baseUrl + '/oauth2/default', clientId: app.clientId, redirectUri: `${origin}/cb`, state: 's', codeChallenge: challenge, codeChallengeMethod: 'S256', language: 'en' });
  pages.set('/ours.js', { type: 'text/javascript', body: ours });
  pages.set('/ours.css', { type: 'text/css', body: oursCss });
  pages.set('/okta.js', { type: 'text/javascript', body: okta });
  pages.set('/okta.css', { type: 'text/css', body: oktaCss });
  const page = (js, css, global) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="stylesheet" href="${css}"><script src="${js}"></script></head>
<body><div id="w"></div><script type="application/json" id="c">${config}</script><script src="/start-${global}.js"></script></body></html>`;
  pages.set('/ours', { type: 'text/html', body: page('/ours.js', '/ours.css', 'ours') });
  pages.set('/okta', { type: 'text/html', body: page('/okta.js', '/okta.css', 'okta') });
  for (const g of ['ours', 'okta']) {
    const ctor = g === 'ours' ? 'GatehouseSignIn' : 'OktaSignIn';
    pages.set(`/start-${g}.js`, { type: 'text/javascript', body: `new ${ctor}(JSON.parse(document.getElementById('c').textContent)).showSignInAndRedirect({ el: '#w' });` });
  }
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'] });
  const timing = {};
  for (const which of ['ours', 'okta']) {
    const samples = [];
    for (let i = 0; i < LOADS; i++) {
      const context = await browser.newContext();
      const p = await context.newPage();
      await p.goto(`${origin}/${which}`, { waitUntil: 'commit' });
      await p.waitForSelector('input[name="identifier"]:not([disabled])', { state: 'visible' });
      samples.push(await p.evaluate(() => performance.now()));
      await context.close();
    }
    samples.sort((a, b) => a - b);
    timing[which] = samples[Math.floor(samples.length / 2)];
  }
  await browser.close();
  server.close();
  await gh.close();
  return { sizes, timing };
}
