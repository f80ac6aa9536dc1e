// The sign-in rate limit: password checks per client IP per minute, counted in the store. Over the limit a
// password step is 429 with errors.E0000047 and Retry-After over the unchanged forms; nothing is hashed and
// no user's failure counter moves; the same transaction works again in the next window. X-Forwarded-For
// names the client only when a configured proxy sent it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { startServer, type TestServer } from '../support/start-server.js';
import { codeOf, idx, interact, introspect } from '../support/idx-client.js';
import { clientIp } from '../../src/http/client-ip.js';
import { addressBlock } from '../../src/identity/rate-limit.js';

const redirectUri = 'http://localhost:3000/interactioncode/callback';
const password = 'a-long-password-1';
const LIMIT = 5;
let gh: TestServer;
let clientId: string;
let ifClient: string;

before(async () => {
  gh = await startServer({ config: { signInRateLimitPerMinute: LIMIT, trustedProxies: ['127.0.0.1'] } });
  clientId = (await gh.createApp({ name: 'pf', redirectUris: [redirectUri] })).clientId;
  ifClient = (await gh.createApp({ name: 'if', redirectUris: [redirectUri], signIn: 'identifier-first' })).clientId;
  await gh.createUser({ email: 'rl@example.com', password });
});
after(() => gh.close());

async function start(id = clientId) {
  const it = await interact(gh, { clientId: id, redirectUri });
  return (await introspect(gh, { interactionHandle: it.interactionHandle })).json;
}
const attempt = (s: any, identifier: string, passcode: string, from?: string) =>
  idx(s.remediation.value[0].href, { identifier, credentials: { passcode }, stateHandle: s.stateHandle }, from ? { 'x-forwarded-for': from } : {});
const keyOf = (r: { json: any }) => r.json.messages?.value?.[0]?.i18n?.key;
/**
 * Moves the test clock one second into a fresh rate-limit window, so that no test straddles a window
 * boundary while real time runs on (the clock is real time plus an offset).
 */
const nextWindow = () => gh.clock.advance(60_000 - (gh.clock.now() % 60_000) + 1000);

test('over the limit a password step is 429 E0000047 with Retry-After over the same forms, the user is not charged, and the next window signs in', async () => {
  nextWindow();
  const from = '198.51.100.1';
  const s = await start();
  for (let i = 0; i < LIMIT; i++) {
    const r = await attempt(s, i % 2 ? `nobody${i}@example.com` : 'rl@example.com', 'wrong-password-x', from);
    assert.equal(r.status, 401);
    assert.equal(keyOf(r), 'errors.E0000004');
  }
  const user = (await gh.gatehouse.deps.store.users.findByLogin('rl@example.com'))!;
  const limited = await attempt(s, 'rl@example.com', password, from);
  assert.equal(limited.status, 429);
  assert.equal(keyOf(limited), 'errors.E0000047');
  const retryAfter = Number(limited.headers.get('retry-after'));
  assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
  assert.equal(limited.json.stateHandle, s.stateHandle, 'the stateHandle is not rotated');
  assert.equal(limited.json.remediation.value[0].name, 'identify', 'the same form is offered again');
  assert.equal(codeOf(limited.json), undefined, 'the right password over the limit yields no code');
  assert.equal((await gh.gatehouse.deps.store.users.findById(user.id))!.failedAttempts, user.failedAttempts, 'a refused check is not a failure');
  const events = await gh.gatehouse.deps.store.events.list({ limit: 50, type: 'signin.rate_limited' });
  assert.equal(events.filter((e) => (e.detail as { ip?: string })?.ip === from).length, 1, 'one audit event per window, not one per refusal');

  nextWindow();
  const again = await attempt(s, 'rl@example.com', password, from);
  assert.equal(again.status, 200);
  assert.ok(codeOf(again.json), 'the same transaction signs in once the window has passed');
});

test('50 parallel password checks from one address: exactly the limit are checked, the rest are 429', async () => {
  nextWindow();
  const s = await start();
  const rs = await Promise.all(Array.from({ length: 50 }, () => attempt(s, 'nobody@example.com', 'wrong-password-x', '198.51.100.2')));
  assert.equal(rs.filter((r) => r.status === 401).length, LIMIT);
  assert.equal(rs.filter((r) => r.status === 429).length, 50 - LIMIT);
});

test('identifier first: naming the user costs nothing, the password challenge is what counts', async () => {
  nextWindow();
  const from = '198.51.100.3';
  for (let i = 0; i < LIMIT + 3; i++) {
    const s = await start(ifClient);
    const named = await idx(s.remediation.value[0].href, { identifier: 'rl@example.com', stateHandle: s.stateHandle }, { 'x-forwarded-for': from });
    assert.equal(named.status, 200);
  }
  const s = await start(ifClient);
  const named = await idx(s.remediation.value[0].href, { identifier: 'rl@example.com', stateHandle: s.stateHandle }, { 'x-forwarded-for': from });
  const answer = (passcode: string) => idx(named.json.remediation.value[0].href, { credentials: { passcode }, stateHandle: s.stateHandle }, { 'x-forwarded-for': from });
  for (let i = 0; i < LIMIT; i++) assert.equal((await answer('wrong-password-x')).status, 401);
  const limited = await answer(password);
  assert.equal(limited.status, 429);
  assert.equal(limited.json.remediation.value[0].name, 'challenge-authenticator');
});

test('addresses behind a trusted proxy are counted apart; one spent address does not refuse another', async () => {
  nextWindow();
  const s = await start();
  for (let i = 0; i < LIMIT; i++) await attempt(s, 'nobody@example.com', 'wrong-password-x', '198.51.100.4');
  assert.equal((await attempt(s, 'nobody@example.com', 'wrong-password-x', '198.51.100.4')).status, 429);
  assert.equal((await attempt(s, 'rl@example.com', password, '198.51.100.5')).status, 200);
});

test('X-Forwarded-For from a peer that is not a trusted proxy is ignored: the socket address is counted', async () => {
  const direct = await startServer({ config: { signInRateLimitPerMinute: 2 } });
  try {
    direct.clock.advance(60_000 - (direct.clock.now() % 60_000) + 1000); // as nextWindow(): no boundary mid-test
    const id = (await direct.createApp({ name: 'pf', redirectUris: [redirectUri] })).clientId;
    const it = await interact(direct, { clientId: id, redirectUri });
    const s = (await introspect(direct, { interactionHandle: it.interactionHandle })).json;
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await attempt(s, 'nobody@example.com', 'wrong-password-x', `203.0.113.${i}`)).status);
    assert.deepEqual(statuses, [401, 401, 429], 'a new forged address per request buys nothing');
  } finally {
    await direct.close();
  }
});

test('clientIp believes X-Forwarded-For only hop by hop from a trusted proxy, never what the client wrote', () => {
  const req = (peer: string, xff?: string) => ({ socket: { remoteAddress: peer }, headers: xff === undefined ? {} : { 'x-forwarded-for': xff } }) as unknown as IncomingMessage;
  const proxies = ['10.0.0.1', '10.0.0.2'];
  assert.equal(clientIp(req('192.0.2.9', '203.0.113.1'), proxies), '192.0.2.9', 'an untrusted peer is the client');
  assert.equal(clientIp(req('10.0.0.1', '203.0.113.1'), proxies), '203.0.113.1');
  assert.equal(clientIp(req('10.0.0.1', '6.6.6.6, 203.0.113.1'), proxies), '203.0.113.1', 'what the client prepended is ignored');
  assert.equal(clientIp(req('10.0.0.1', '6.6.6.6, 203.0.113.1, 10.0.0.2'), proxies), '203.0.113.1', 'a chain of trusted proxies is walked');
  assert.equal(clientIp(req('10.0.0.1', 'not-an-ip, 10.0.0.2'), proxies), '10.0.0.2', 'a garbled hop ends the walk');
  assert.equal(clientIp(req('10.0.0.1'), proxies), '10.0.0.1', 'no header: the proxy itself');
  assert.equal(clientIp(req('::ffff:192.0.2.9'), proxies), '192.0.2.9', 'IPv4-mapped IPv6 is the IPv4 address');
});

test('IPv6 clients are counted per /64: rotating addresses inside one block buys nothing, another block counts apart', async () => {
  nextWindow();
  const s = await start();
  for (let i = 1; i <= LIMIT; i++) assert.equal((await attempt(s, 'nobody@example.com', 'wrong-password-x', `2001:db8:5:6::${i}`)).status, 401);
  assert.equal((await attempt(s, 'nobody@example.com', 'wrong-password-x', '2001:db8:5:6:ffff:ffff:ffff:ffff')).status, 429, 'same /64');
  assert.equal((await attempt(s, 'rl@example.com', password, '2001:db8:5:7::1')).status, 200, 'the next /64 is another client');
});

test('addressBlock keeps IPv4 addresses whole and reduces IPv6 to its /64, whatever the spelling', () => {
  assert.equal(addressBlock('203.0.113.5'), '203.0.113.5');
  assert.equal(addressBlock('2001:db8::1'), '2001:db8:0:0::/64');
  assert.equal(addressBlock('2001:0DB8:0000:0000:ffff::2'), '2001:db8:0:0::/64');
  assert.equal(addressBlock('2001:db8:a:b:c:d:e:f'), '2001:db8:a:b::/64');
  assert.equal(addressBlock('2001:db8:1::'), '2001:db8:1:0::/64');
  assert.notEqual(addressBlock('2001:db8:1::1'), addressBlock('2001:db8:2::1'));
});
