// Runs every *.test.ts under packages/*/test and examples/*/test with node's own test runner
// (TypeScript through tsx). Node 20's --test takes no globs, so the files are listed here.
// Usage: node scripts/run-tests.mjs [substring-filter...]
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const roots = ['packages', 'examples'];
const files = [];
function walk(dir) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (name.endsWith('.test.ts') && p.includes('/test/')) files.push(p);
  }
}
for (const r of roots) for (const pkg of readdirSync(r)) walk(join(r, pkg));
const filters = process.argv.slice(2);
const selected = files.filter((f) => filters.length === 0 || filters.some((s) => f.includes(s))).sort();
if (selected.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
const reporter = process.env.CI ? ['--test-reporter=spec'] : [];
const res = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', ...reporter, ...selected],
  { stdio: 'inherit', env: { ...process.env, GATEHOUSE_TEST: '1' } },
);
process.exit(res.status ?? 1);
