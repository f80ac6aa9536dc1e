// The README's first command, as a new user runs it: `npm run demo` (scripts/demo.mjs) in an empty folder
// starts Gatehouse and the sample app, prints the URLs and the demo credentials, and the demo user signs in;
// Ctrl-C stops both cleanly; a second run reuses the data (same client, same user) and signs in again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { IdxClient } from '@gatehouse/sdk';

const script = fileURLToPath(new URL('../../../scripts/demo.mjs', import.meta.url));

const freePort = () => new Promise<number>((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => { const p = (s.address() as { port: number }).port; s.close(() => resolve(p)); });
});

/** Starts the demo in `cwd`; resolves with what it printed once it says it is ready. */
function startDemo(cwd: string, env: Record<string, string>) {
  const proc = spawn(process.execPath, [script], { cwd, env: { ...process.env, GATEHOUSE_TEST: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const exited = new Promise<number | null>((r) => proc.once('exit', r));
  const ready = new Promise<string>((resolve, reject) => {
    proc.stdout.on('data', (d) => { out += d; if (/Ctrl-C stops both/.test(out)) resolve(out); });
    proc.stderr.on('data', (d) => { err += d; });
    void exited.then((code) => reject(new Error(`demo exited ${code}: ${err.slice(0, 800)}`)));
  });
  const stop = async () => { proc.kill('SIGINT'); return exited; };
  return { ready, stop, output: () => out };
}

async function signInAsDemoUser(gatehouseUrl: string, exampleUrl: string, app: { clientId: string; clientSecret: string }) {
  const idx = new IdxClient({
    issuer: `${gatehouseUrl}/oauth2/default`, clientId: app.clientId, clientSecret: app.clientSecret,
    redirectUri: `${exampleUrl}/interactioncode/callback`, scopes: ['openid', 'profile', 'email'],
  });
  const r = await idx.authenticate({ username: 'demo@example.com', password: 'Correct-Horse-Battery-9' });
  assert.equal(r.status, 'SUCCESS');
  if (r.status !== 'SUCCESS') return;
  const me = await idx.getUserInfo(r.tokens.accessToken);
  assert.equal(me.email, 'demo@example.com');
  assert.equal(me.name, 'Demo User');
}

test('npm run demo starts both servers with the demo user, stops on Ctrl-C, and a second run reuses the data', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'gatehouse-demo-'));
  try {
    const [gp, ep] = [await freePort(), await freePort()];
    const env = { GATEHOUSE_PORT: String(gp), EXAMPLE_PORT: String(ep) };
    const gatehouseUrl = `http://localhost:${gp}`;
    const exampleUrl = `http://localhost:${ep}`;

    const first = startDemo(cwd, env);
    const printed = await first.ready;
    for (const line of [gatehouseUrl, exampleUrl, 'demo@example.com', 'Correct-Horse-Battery-9']) assert.ok(printed.includes(line), `prints ${line}`);
    const app = JSON.parse(readFileSync(join(cwd, 'data/example-app.json'), 'utf8'));
    assert.equal(statSync(join(cwd, 'data/example-app.json')).mode & 0o777, 0o600, 'the kept client secret is private');
    assert.equal(statSync(join(cwd, 'data/gatehouse.secret')).mode & 0o777, 0o600, 'the development secret is private');
    assert.ok(printed.includes(app.clientId));
    const home = await fetch(`${exampleUrl}/`);
    assert.equal(home.status, 200);
    assert.match(await home.text(), /Sign in/);
    assert.equal((await fetch(`${gatehouseUrl}/readyz`)).status, 200);
    await signInAsDemoUser(gatehouseUrl, exampleUrl, app);
    const verify = await fetch(`${exampleUrl}/login/callback/email-verify?state=s&otp=123456`);
    assert.equal(verify.status, 200, "the sample app's email-verify callback answers");
    assert.match(await verify.text(), /123456/);
    assert.equal(await first.stop(), 0, 'Ctrl-C stops both cleanly');
    const db = new Database(join(cwd, 'data/gatehouse.db'), { readonly: true });
    try {
      const row = db.prepare('SELECT email_verify_uri FROM apps WHERE client_id = ?').get(app.clientId) as { email_verify_uri: string };
      assert.equal(row.email_verify_uri, `${exampleUrl}/login/callback/email-verify`, 'the demo app sends recovery links to the sample app');
    } finally {
      db.close();
    }
    await assert.rejects(fetch(`${exampleUrl}/`), 'the sample app is down');
    await assert.rejects(fetch(`${gatehouseUrl}/healthz`), 'Gatehouse is down');

    const second = startDemo(cwd, env);
    const again = await second.ready;
    try {
      assert.ok(again.includes(app.clientId), 'the same demo app');
      assert.deepEqual(JSON.parse(readFileSync(join(cwd, 'data/example-app.json'), 'utf8')), app);
      await signInAsDemoUser(gatehouseUrl, exampleUrl, app);
    } finally {
      assert.equal(await second.stop(), 0);
    }
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
});
