// Serves the widget bundle at a versioned path (/widget/{version}/{file}) with long caching and publishes
// its SRI hashes, read once from the widget package's build manifest.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Route } from './context.js';
import { sendBytes } from './respond.js';

interface Asset { path: string; sri: string; bytes: Buffer; type: string }

const TYPES: Record<string, string> = { js: 'text/javascript; charset=utf-8', mjs: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8', json: 'application/json' };

let assets: Map<string, Asset> | null = null;
let version = '0.0.0';

function load(): Map<string, Asset> {
  if (assets) return assets;
  assets = new Map();
  try {
    const require = createRequire(import.meta.url);
    const dir = join(dirname(require.resolve('@gatehouse/widget/package.json')), 'dist');
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { version: string; files: Record<string, { sri: string }> };
    version = manifest.version;
    for (const [name, meta] of Object.entries(manifest.files)) {
      const ext = name.split('.').pop()!;
      assets.set(name, { path: `/widget/${version}/${name}`, sri: meta.sri, bytes: readFileSync(join(dir, name)), type: TYPES[ext] ?? 'application/octet-stream' });
    }
  } catch {
    // The widget is not built: the hosted page says so rather than failing every request.
  }
  return assets;
}

export function widgetAsset(name: string): Asset | undefined {
  return load().get(name);
}

export function widgetManifest() {
  const m = load();
  return { version, files: Object.fromEntries([...m].map(([k, a]) => [k, { path: a.path, integrity: a.sri }])) };
}

export const widgetRoute: Route = {
  methods: ['GET', 'HEAD'], family: 'plain',
  handler: async (ctx) => {
    const [, , v, name] = ctx.url.pathname.split('/');
    const asset = name ? load().get(name) : undefined;
    if (!asset || v !== version) {
      ctx.res.writeHead(404, { 'Content-Type': 'text/plain' });
      ctx.res.end('not found');
      return;
    }
    sendBytes(ctx.res, 200, ctx.req.method === 'HEAD' ? Buffer.alloc(0) : asset.bytes, {
      'Content-Type': asset.type, 'Cache-Control': 'public, max-age=31536000, immutable', 'X-Content-Type-Options': 'nosniff',
      'Cross-Origin-Resource-Policy': 'cross-origin', 'Access-Control-Allow-Origin': '*',
    });
  },
};

/** GET /widget/manifest.json: the current widget version, paths and SRI hashes, for pages that embed it. */
export const widgetManifestRoute: Route = {
  methods: ['GET', 'HEAD'], family: 'plain',
  handler: async (ctx) => {
    const body = Buffer.from(JSON.stringify(widgetManifest()));
    sendBytes(ctx.res, 200, ctx.req.method === 'HEAD' ? Buffer.alloc(0) : body, {
      'Content-Type': 'application/json', 'Cache-Control': 'public, max-age=60', 'Access-Control-Allow-Origin': '*',
    });
  },
};
