// The command line's contract, as scripts see it: usage answers without opening a database, lists are JSON
// arrays, exit codes say what went wrong (1 not found or refused, 2 usage), numeric flags share one wording,
// read-only commands never create a database, database files are owner-only, admin changes are audit events,
// and the README's reference is what `gatehouse --help` prints. Runs the real bin.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../../src/store/sqlite/index.js';

const bin = new URL('../../bin/gatehouse.js', import.meta.url).pathname;
const readme = new URL('../../../../README.md', import.meta.url).pathname;
let dir: string;
const env = { ...process.env, GATEHOUSE_TEST: '1', GATEHOUSE_SECRET: 'cli-contract-secret-cli-contract-secret-0' };
const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { env, encoding: 'utf8' });
const fresh = (name: string) => `sqlite:${join(dir, name)}`;

before(() => { dir = mkdtempSync(join(tmpdir(), 'gatehouse-cli-contract-')); });
after(() => rmSync(dir, { recursive: true, force: true }));

test("the README's command-line reference is exactly what gatehouse --help prints", () => {
  const help = run('--help');
  assert.equal(help.status, 0);
  const md = readFileSync(readme, 'utf8');
  const section = md.slice(md.indexOf('## The command line'));
  const block = /```text\n([\s\S]*?)```/.exec(section)?.[1];
  assert.equal(block, help.stdout, 'README.md "The command line" block differs from `gatehouse --help`: paste the new output there');
});

test('every command answers --help with its usage, exit 0, without touching a database', () => {
  const db = fresh('help-only.db');
  for (const cmd of ['serve', 'user', 'app', 'origin', 'keys', 'server', 'events', 'policy', 'brand']) {
    const r = run(cmd, '--help', '--db', db);
    assert.equal(r.status, 0, cmd);
    assert.match(r.stdout, new RegExp(`^  ${cmd} `, 'm'), cmd);
  }
  assert.equal(run('help', 'events').stdout.includes('--jsonl'), true);
  assert.equal(existsSync(join(dir, 'help-only.db')), false);
});

test('read-only commands refuse a database file that does not exist, exit 1, and create nothing', () => {
  const db = fresh('typo.db');
  for (const args of [['user', 'list'], ['app', 'list'], ['origin', 'list'], ['keys', 'list'], ['server', 'list'], ['events'], ['policy', 'show'], ['brand', 'show']]) {
    const r = run(...args, '--db', db);
    assert.equal(r.status, 1, args.join(' '));
    assert.equal(r.stdout, '', args.join(' '));
    assert.equal(r.stderr.trim(), `gatehouse: no database at ${join(dir, 'typo.db')}; create it with gatehouse serve or any write command`);
  }
  assert.equal(existsSync(join(dir, 'typo.db')), false);
});

test('every list prints a JSON array, [] when empty: events too, and --jsonl prints one event per line', () => {
  const db = fresh('lists.db');
  assert.equal(run('policy', 'set', '--db', db, '--lockout-attempts', '9').status, 0); // creates the database
  const keys = run('keys', 'list', '--db', db);
  assert.deepEqual(JSON.parse(keys.stdout), []);
  assert.match(keys.stderr, /no keys yet/);
  for (const args of [['user', 'list'], ['app', 'list'], ['origin', 'list'], ['events', '--type', 'nothing.like.this']]) {
    const r = run(...args, '--db', db);
    assert.equal(r.status, 0, args.join(' '));
    assert.deepEqual(JSON.parse(r.stdout), [], args.join(' '));
  }
  assert.ok(Array.isArray(JSON.parse(run('server', 'list', '--db', db).stdout)));
  const lines = run('events', '--db', db, '--jsonl').stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(lines.map((e) => e.type), ['policy.set']);
  assert.equal(run('events', '--db', db, '--jsonl', '--type', 'nothing.like.this').stdout, '');
});

test('keys rotate on a database without keys creates one active and one next key and retires none', () => {
  const db = fresh('keys.db');
  assert.equal(run('policy', 'show', '--db', db).status, 1);
  assert.equal(run('policy', 'set', '--db', db, '--lockout-minutes', '5').status, 0);
  const first = JSON.parse(run('keys', 'rotate', '--db', db).stdout);
  assert.deepEqual(first.map((k: any) => k.status).sort(), ['active', 'next']);
  const second = JSON.parse(run('keys', 'rotate', '--db', db).stdout);
  assert.deepEqual(second.map((k: any) => k.status).sort(), ['active', 'next', 'retired']);
});

test('exit codes: 2 for usage errors, 1 for not found or refused; whole-number flags share one wording', () => {
  const db = fresh('codes.db');
  assert.equal(run('user', 'create', '--db', db, '--email', 'ada@example.com', '--password', 'a-long-password-1').status, 0);
  const usage: string[][] = [
    ['frobnicate'], ['user'], ['user', 'list', '--db', db, '--bogus'], ['user', 'create', '--db', db, '--email', 'x@example.com'],
    ['events', '--db', db, '--limit', '-1'], ['events', '--db', db, '--limit', '1.5'], ['events', '--db', db, '--limit', 'ten'],
    ['policy', 'set', '--db', db, '--lockout-attempts', '0'], ['serve', '--port', 'eighty'], ['user', 'list', '--db', 'mysql://x'],
  ];
  for (const args of usage) assert.equal(run(...args).status, 2, args.join(' '));
  const limit = run('events', '--db', db, '--limit', '-1');
  assert.equal(limit.stderr.split('\n')[0], 'gatehouse: --limit must be a whole number from 1 to 10000, not "-1"');
  assert.doesNotMatch(limit.stderr, /ambiguous|ERR_|TypeError/);
  assert.equal(run('policy', 'set', '--db', db, '--lockout-attempts', '0').stderr.split('\n')[0], 'gatehouse: --lockout-attempts must be a whole number from 1 to 1000, not "0"');
  assert.match(run('serve', '--port', '70000').stderr, /--port must be a whole number from 0 to 65535/);
  const refused: string[][] = [
    ['user', 'unlock', '--db', db, '--email', 'nobody@example.com'],
    ['user', 'reset-password', '--db', db, '--email', 'ada@example.com', '--client-id', '0oaNope'],
    ['user', 'create', '--db', db, '--email', 'ADA@example.com', '--password', 'a-long-password-1'],
    ['app', 'update', '--db', db, '--client-id', '0oaNope', '--name', 'x'],
    ['origin', 'remove', '--db', db, '--origin', 'https://not.trusted.example'],
    ['brand', 'set', '--db', db, '--app', '0oaNope', '--name', 'x'],
    ['brand', 'set', '--db', db, '--primary-color', 'red'],
  ];
  for (const args of refused) {
    const r = run(...args);
    assert.equal(r.status, 1, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /^gatehouse: /, args.join(' '));
  }
});

test('admin changes to users, apps, keys, servers, policy and brand are audit events', () => {
  const db = fresh('audit.db');
  const u = JSON.parse(run('user', 'create', '--db', db, '--email', 'grace@example.com', '--password', 'a-long-password-1').stdout);
  assert.equal(run('user', 'set-password', '--db', db, '--id', u.id, '--password', 'another-long-password-2').status, 0);
  const app = JSON.parse(run('app', 'create', '--db', db, '--name', 'Audit', '--type', 'spa', '--redirect-uri', 'https://a.example/cb').stdout);
  assert.equal(run('app', 'update', '--db', db, '--client-id', app.client_id, '--name', 'Audited').status, 0);
  assert.equal(run('keys', 'rotate', '--db', db).status, 0);
  assert.equal(run('server', 'create', '--db', db, '--id', 'payments').status, 0);
  assert.equal(run('policy', 'set', '--db', db, '--password-min-length', '10').status, 0);
  assert.equal(run('brand', 'set', '--db', db, '--app', app.client_id, '--primary-color', '#123456').status, 0);
  const events = JSON.parse(run('events', '--db', db).stdout) as { type: string; userId?: string; clientId?: string }[];
  const types = events.map((e) => e.type).reverse();
  for (const t of ['user.create', 'user.set-password', 'app.create', 'app.update', 'server.create', 'policy.set', 'brand.set']) assert.ok(types.includes(t), `${t} in ${types.join(', ')}`);
  assert.ok(types.includes('key.create') || types.includes('key.rotate'));
  assert.equal(events.find((e) => e.type === 'user.create')!.userId, u.id);
  assert.equal(events.find((e) => e.type === 'brand.set')!.clientId, app.client_id);
});

test('brand set keeps what is not given, clears with an empty value, and show gives what an app shows', () => {
  const db = fresh('brand.db');
  const app = JSON.parse(run('app', 'create', '--db', db, '--name', 'Shop', '--type', 'spa', '--redirect-uri', 'https://shop.example/cb').stdout);
  run('brand', 'set', '--db', db, '--name', 'Acme', '--logo-url', 'https://acme.example/logo.svg', '--primary-color', '#0a7');
  run('brand', 'set', '--db', db, '--background', '#fafafa');
  const set = JSON.parse(run('brand', 'set', '--db', db, '--app', app.client_id, '--primary-color', '#123456').stdout);
  assert.deepEqual(set.shown, { name: 'Acme', logoUrl: 'https://acme.example/logo.svg', primaryColor: '#123456', background: '#fafafa' });
  const cleared = JSON.parse(run('brand', 'set', '--db', db, '--logo-url', '').stdout);
  assert.equal(cleared.logoUrl, null);
  assert.equal(cleared.name, 'Acme');
  assert.equal(run('brand', 'set', '--db', db, '--logo-url', 'javascript:alert(1)').status, 1);
  assert.equal(run('brand', 'show', '--db', db, '--app', '0oaNope').status, 1);
});

test('SQLite files (database, -wal, -shm) are created readable by their owner only', async () => {
  const path = join(dir, 'modes', 'gh.db');
  const store = openSqliteStore(path);
  try {
    await store.policies.set(await store.policies.get()); // a write, so the -wal file exists
    for (const f of [path, `${path}-wal`, `${path}-shm`]) {
      assert.ok(existsSync(f), f);
      assert.equal(statSync(f).mode & 0o777, 0o600, f);
    }
  } finally { await store.close(); }
  assert.equal(run('user', 'create', '--db', fresh('cli-mode.db'), '--email', 'm@example.com', '--password', 'a-long-password-1').status, 0);
  assert.equal(statSync(join(dir, 'cli-mode.db')).mode & 0o777, 0o600);
});

test('every repository path the README names in backquotes exists', () => {
  const md = readFileSync(readme, 'utf8');
  const root = new URL('../../../../', import.meta.url).pathname;
  // Relative paths with a folder (not URLs, endpoints like v1/token, or the ./data the server creates).
  const paths = [...md.matchAll(/`((?:packages|examples|scripts|interop|shared)\/[A-Za-z0-9_./-]+)`/g)].map((m) => m[1]!);
  assert.ok(paths.length > 5);
  assert.deepEqual(paths.filter((p) => !existsSync(join(root, p))), []);
});
