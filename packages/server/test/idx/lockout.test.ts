// Lockout: one failure counter per user in the store, exact under parallel attempts; a locked user is
// refused even with the right password, with the generic message, until unlock or expiry.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cliFor } from '../support/cli.js';
import { startServer, type TestServer } from '../support/start-server.js';
import { codeOf, idx, interact, introspect } from '../support/idx-client.js';

let gh: TestServer;
const redirectUri = 'http://localhost:3000/interactioncode/callback';
const password = 'a-long-password-1';
let clientId: string;
let ifClient: string;

before(async () => {
  gh = await startServer();
  clientId = (await gh.createApp({ name: 'x', redirectUris: [redirectUri] })).clientId;
  ifClient = (await gh.createApp({ name: 'if', redirectUris: [redirectUri], signIn: 'identifier-first' })).clientId;
});
after(() => gh.close());

async function start(id = clientId) {
  const it = await interact(gh, { clientId: id, redirectUri });
  return (await introspect(gh, { interactionHandle: it.interactionHandle })).json;
}
const attempt = (s: any, identifier: string, passcode: string) =>
  idx(s.remediation.value[0].href, { identifier, credentials: { passcode }, stateHandle: s.stateHandle });

test('200 parallel wrong passwords are counted exactly and lock the user; the right password is then refused generically', async () => {
  const user = await gh.createUser({ email: 'parallel@example.com', password });
  const s = await start();
  const rs = await Promise.all(Array.from({ length: 200 }, () => attempt(s, 'parallel@example.com', 'wrong-password-x')));
  assert.ok(rs.every((r) => r.status === 401));
  const stored = (await gh.gatehouse.deps.store.users.findById(user.id))!;
  assert.equal(stored.failedAttempts, 200);
  assert.ok(stored.lockedUntil! > gh.clock.now());
  const right = await attempt(s, 'parallel@example.com', password);
  assert.equal(right.status, 401);
  assert.equal(right.text, rs[0]!.text);
  const events = await gh.gatehouse.deps.store.events.list({ limit: 500, userId: user.id });
  assert.equal(events.filter((e) => e.type === 'user.lockout').length, 1);
});

test('the tenth failure locks; unlock lifts it; success resets the counter', async () => {
  const user = await gh.createUser({ email: 'ten@example.com', password });
  const s = await start();
  for (let i = 0; i < 9; i++) assert.equal((await attempt(s, 'ten@example.com', 'nope-nope-1')).status, 401);
  const ok = await attempt(s, 'ten@example.com', password);
  assert.ok(codeOf(ok.json), 'nine failures do not lock');
  assert.equal((await gh.gatehouse.deps.store.users.findById(user.id))!.failedAttempts, 0);
  const s2 = await start();
  for (let i = 0; i < 10; i++) await attempt(s2, 'ten@example.com', 'nope-nope-1');
  assert.equal((await attempt(s2, 'ten@example.com', password)).status, 401);
  // `gatehouse user unlock` through the real CLI against the same database file.
  assert.equal((await cliFor(gh)('user', 'unlock', '--email', 'ten@example.com')).status, 0);
  assert.ok(codeOf((await attempt(s2, 'ten@example.com', password)).json));
});

test('a lock expires after 15 minutes (test clock)', async () => {
  await gh.createUser({ email: 'expiry@example.com', password });
  const s = await start();
  for (let i = 0; i < 10; i++) await attempt(s, 'expiry@example.com', 'nope-nope-1');
  assert.equal((await attempt(s, 'expiry@example.com', password)).status, 401);
  gh.clock.advance(15 * 60_000 + 1000);
  try {
    const s2 = await start();
    assert.ok(codeOf((await attempt(s2, 'expiry@example.com', password)).json));
  } finally {
    gh.clock.advance(-(15 * 60_000 + 1000));
  }
});

test('failures through identify and through the password challenge count on the one counter', async () => {
  const user = await gh.createUser({ email: 'paths@example.com', password });
  const s = await start();
  await attempt(s, 'paths@example.com', 'nope-nope-1');
  const f = await start(ifClient);
  const c = await idx(f.remediation.value[0].href, { identifier: 'paths@example.com', stateHandle: f.stateHandle });
  await idx(c.json.remediation.value[0].href, { credentials: { passcode: 'nope-nope-2' }, stateHandle: f.stateHandle });
  assert.equal((await gh.gatehouse.deps.store.users.findById(user.id))!.failedAttempts, 2);
});

test('sign-in success, failure and lockout are recorded as audit events', async () => {
  const types = new Set((await gh.gatehouse.deps.store.events.list({ limit: 1000 })).map((e) => e.type));
  for (const t of ['signin.success', 'signin.failure', 'user.lockout']) assert.ok(types.has(t), t);
});
