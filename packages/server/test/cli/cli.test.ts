// The command line is a contract other tools depend on: JSON out, clear messages and non-zero exits on bad
// arguments, serve answering health checks and stopping on SIGTERM. Runs the real bin.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const bin = new URL('../../bin/gatehouse.js', import.meta.url).pathname;
let dir: string;
let db: string;
const env = { ...process.env, GATEHOUSE_TEST: '1', GATEHOUSE_SECRET: 'cli-test-secret-cli-test-secret-cli-0000' };
const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { env, encoding: 'utf8' });

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'gatehouse-cli-'));
  db = `sqlite:${join(dir, 'gh.db')}`;
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('user create prints JSON with id; user list shows it; a duplicate (any case) is refused', () => {
  const r = run('user', 'create', '--db', db, '--email', 'Cli@Example.com', '--password', 'a-long-password-1', '--first-name', 'Cli', '--last-name', 'User');
  assert.equal(r.status, 0, r.stderr);
  const u = JSON.parse(r.stdout);
  assert.match(u.id, /^00u/);
  assert.equal(u.status, 'ACTIVE');
  const list = JSON.parse(run('user', 'list', '--db', db).stdout);
  assert.equal(list.length, 1);
  const dup = run('user', 'create', '--db', db, '--email', 'cli@example.COM', '--password', 'a-long-password-1');
  assert.notEqual(dup.status, 0);
  assert.match(dup.stderr, /already exists/);
});

test('app create prints client_id, and client_secret only for confidential apps; app list shows them without secrets', () => {
  const web = JSON.parse(run('app', 'create', '--db', db, '--name', 'Web', '--type', 'web', '--redirect-uri', 'https://app.example.com/cb', '--redirect-uri', 'https://app.example.com/cb2', '--trusted-origin', 'https://app.example.com', '--sign-in', 'identifier-first').stdout);
  assert.match(web.client_id, /^0oa/);
  assert.ok(web.client_secret.length >= 43);
  assert.deepEqual(web.redirect_uris, ['https://app.example.com/cb', 'https://app.example.com/cb2']);
  assert.equal(web.sign_in, 'identifier-first');
  const spa = JSON.parse(run('app', 'create', '--db', db, '--name', 'SPA', '--type', 'spa', '--redirect-uri', 'https://app.example.com/cb').stdout);
  assert.equal(spa.client_secret, undefined);
  const svc = JSON.parse(run('app', 'create', '--db', db, '--name', 'Svc', '--type', 'service').stdout);
  assert.ok(svc.client_secret);
  const list = run('app', 'list', '--db', db);
  assert.equal(JSON.parse(list.stdout).length, 3);
  assert.ok(!list.stdout.includes(web.client_secret));
});

test('user unlock and user deactivate change the user and are recorded as events', () => {
  assert.equal(run('user', 'unlock', '--db', db, '--email', 'cli@example.com').status, 0);
  const d = run('user', 'deactivate', '--db', db, '--email', 'cli@example.com');
  assert.equal(JSON.parse(d.stdout).status, 'DEPROVISIONED');
  const events = (JSON.parse(run('events', '--db', db).stdout) as { type: string }[]).map((e) => e.type);
  assert.ok(events.includes('user.unlock') && events.includes('user.deactivate'));
});

test('bad arguments give a clear message and a non-zero exit', () => {
  const cases: [string[], RegExp][] = [
    [[], /Usage/],
    [['frobnicate'], /unknown command/],
    [['user', 'create', '--db', db, '--email', 'x@example.com'], /--password is required/],
    [['user', 'create', '--db', db, '--email', 'not-an-email', '--password', 'a-long-password-1'], /not an email/],
    [['user', 'create', '--db', db, '--email', 'short@example.com', '--password', 'short'], /at least 8/],
    [['app', 'create', '--db', db, '--name', 'X', '--type', 'robot'], /web, spa, native or service/],
    [['app', 'create', '--db', db, '--name', 'X', '--type', 'web'], /redirect-uri/],
    [['app', 'create', '--db', db, '--name', 'X', '--type', 'web', '--redirect-uri', 'not a uri'], /redirect URI/],
    [['app', 'create', '--db', db, '--name', 'X', '--type', 'web', '--redirect-uri', 'https://a.example/cb#frag'], /redirect URI/],
    [['user', 'list', '--db', db, '--bogus'], /Unknown option/i],
    [['serve', '--port', 'eighty'], /--port/],
    [['user', 'list', '--db', 'mysql://x'], /unsupported database URL/],
  ];
  for (const [args, msg] of cases) {
    const r = run(...args);
    assert.notEqual(r.status, 0, args.join(' '));
    assert.match(r.stderr + r.stdout, msg, args.join(' '));
  }
});

test('serve answers /healthz and /readyz and stops cleanly on SIGTERM', async () => {
  const proc = spawn(process.execPath, [bin, 'serve', '--db', db, '--port', '0'], { env: { ...env, GATEHOUSE_LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'pipe'] });
  const port = await new Promise<number>((resolve, reject) => {
    let buf = '';
    proc.stdout.on('data', (d) => { buf += d; const m = /"port":(\d+)/.exec(buf); if (m) resolve(Number(m[1])); });
    proc.once('exit', (c) => reject(new Error(`exited ${c}`)));
  });
  assert.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200);
  assert.equal((await fetch(`http://127.0.0.1:${port}/readyz`)).status, 200);
  proc.kill('SIGTERM');
  const code = await new Promise((r) => proc.once('exit', r));
  assert.equal(code, 0);
});

test('keys list shows the active and next keys', () => {
  const keys = JSON.parse(run('keys', 'list', '--db', db).stdout);
  assert.deepEqual(keys.map((k: any) => k.status).sort(), ['active', 'next']);
});

test('policy set changes the lockout threshold and password length for every instance; bad values are refused', () => {
  const shown = JSON.parse(run('policy', 'show', '--db', db).stdout);
  assert.deepEqual(shown.lockout, { maxAttempts: 10, durationSeconds: 900 });
  const set = JSON.parse(run('policy', 'set', '--db', db, '--lockout-attempts', '5', '--lockout-minutes', '30', '--password-min-length', '12').stdout);
  assert.deepEqual(set.lockout, { maxAttempts: 5, durationSeconds: 1800 });
  assert.equal(set.password.minLength, 12);
  const short = run('user', 'create', '--db', db, '--email', 'p@example.com', '--password', 'elevenchars');
  assert.notEqual(short.status, 0);
  assert.match(short.stderr, /at least 12/);
  assert.notEqual(run('policy', 'set', '--db', db, '--lockout-attempts', '0').status, 0);
});

test('the database URL in the listening log line never carries its password', async () => {
  const { withoutPassword } = await import('../../src/cli/serve.js');
  assert.equal(withoutPassword('postgres://gh:hunter2@db.internal:5432/gatehouse?schema=a'), 'postgres://gh:***@db.internal:5432/gatehouse?schema=a');
  assert.equal(withoutPassword('postgres://gh@db.internal/gatehouse'), 'postgres://gh@db.internal/gatehouse');
  assert.equal(withoutPassword('sqlite:./data/gatehouse.db'), 'sqlite:./data/gatehouse.db');
});
