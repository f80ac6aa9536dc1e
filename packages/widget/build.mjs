// Builds the widget with esbuild: an ES module, a script that defines window.GatehouseSignIn (and
// OktaSignIn), the hosted page's starter, the stylesheet and the hosted page's; writes dist/manifest.json with sizes and SRI
// hashes; writes each language but English as dist/i18n-{lang}.json (listed in the manifest, so the server's
// /widget/{version}/ route serves them); fails when the script exceeds 30 KB gzipped.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const LIMIT_GZIP = 30 * 1024;
const here = new URL('.', import.meta.url).pathname;
const dist = here + 'dist/';
mkdirSync(dist, { recursive: true });
const common = { bundle: true, minify: true, target: 'es2020', legalComments: 'none', logLevel: 'warning' };

// The version is read before the bundles: the widget fetches its language files from /widget/{version}/.
const version = JSON.parse(readFileSync(here + 'package.json', 'utf8')).version;
common.define = { __GH_VERSION__: JSON.stringify(version) };
// Languages other than English: one minified JSON file each, fetched when chosen (src/i18n.ts).
const languages = readdirSync(here + 'src/locales').filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();
for (const l of languages) writeFileSync(dist + `i18n-${l}.json`, JSON.stringify(JSON.parse(readFileSync(here + `src/locales/${l}.json`, 'utf8'))));

await build({ ...common, entryPoints: [here + 'src/index.ts'], format: 'esm', outfile: dist + 'gatehouse-signin.mjs' });
await build({ ...common, entryPoints: [here + 'src/global.ts'], format: 'iife', outfile: dist + 'gatehouse-signin.js' });
await build({ ...common, entryPoints: [here + 'src/hosted.ts'], format: 'iife', outfile: dist + 'hosted.js' });
await build({ ...common, entryPoints: [here + 'src/styles.css'], outfile: dist + 'gatehouse-signin.css', loader: { '.css': 'css' } });
await build({ ...common, entryPoints: [here + 'src/hosted.css'], outfile: dist + 'hosted.css', loader: { '.css': 'css' } });

const files = {};
for (const name of ['gatehouse-signin.js', 'gatehouse-signin.mjs', 'hosted.js', 'gatehouse-signin.css', 'hosted.css', ...languages.map((l) => `i18n-${l}.json`)]) {
  const bytes = readFileSync(dist + name);
  files[name] = { bytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 9 }).length, sri: 'sha384-' + createHash('sha384').update(bytes).digest('base64') };
}
writeFileSync(dist + 'manifest.json', JSON.stringify({ version, files }, null, 2) + '\n');
for (const [name, f] of Object.entries(files)) console.log(`widget: ${name.padEnd(22)} ${String(f.bytes).padStart(7)} bytes, ${String(f.gzipBytes).padStart(6)} gzipped`);
const js = files['gatehouse-signin.js'].gzipBytes;
if (js > LIMIT_GZIP) {
  console.error(`widget: gatehouse-signin.js is ${js} bytes gzipped, over the ${LIMIT_GZIP}-byte budget`);
  process.exit(1);
}
