// The IDX message catalogue is complete: every key used in the source exists, every key in the catalogue is used.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CATALOGUE } from '../../src/idx/messages.js';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

test('every message key used in the server exists in the catalogue, and every catalogue key is used', () => {
  const src = fileURLToPath(new URL('../../src/', import.meta.url));
  const files = sources(src).filter((f) => !f.endsWith('messages.ts'));
  const code = files.map((f) => readFileSync(f, 'utf8')).join('\n');
  const messagesTs = readFileSync(join(src, 'idx/messages.ts'), 'utf8');
  const used = new Set([...(code + messagesTs.split('export class')[0]!.split('} as const')[1]).matchAll(/msg\('([^']+)'\)|i18n: \{ key: '([^']+)'/g)].map((m) => m[1] ?? m[2]));
  for (const k of used) assert.ok(k! in CATALOGUE, `key ${k} is used but not in the catalogue`);
  for (const k of Object.keys(CATALOGUE)) assert.ok(used.has(k), `catalogue key ${k} is never used`);
});
