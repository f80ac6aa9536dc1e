// The build keeps the widget small and publishes what a page needs to load it safely.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';

const dist = new URL('../dist/', import.meta.url);

test('the script bundle is at most 30 KB gzipped and the manifest SRI hashes match the files', () => {
  const manifest = JSON.parse(readFileSync(new URL('manifest.json', dist), 'utf8'));
  for (const [name, meta] of Object.entries<any>(manifest.files)) {
    const bytes = readFileSync(new URL(name, dist));
    assert.equal(meta.sri, 'sha384-' + createHash('sha384').update(bytes).digest('base64'), name);
    assert.equal(meta.bytes, bytes.length);
  }
  assert.ok(gzipSync(readFileSync(new URL('gatehouse-signin.js', dist)), { level: 9 }).length <= 30 * 1024);
});

test('the bundles contain no eval, no Function constructor and no innerHTML', () => {
  for (const name of ['gatehouse-signin.js', 'gatehouse-signin.mjs', 'hosted.js']) {
    const src = readFileSync(new URL(name, dist), 'utf8');
    assert.doesNotMatch(src, /\beval\(|new Function\(|innerHTML|outerHTML\s*=|insertAdjacentHTML|document\.write/, name);
  }
});
