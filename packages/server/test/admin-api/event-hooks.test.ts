// Event hooks against a real HTTP receiver on loopback: `gatehouse event-hook create` (the real bin) sends Okta's
// verification request, then sign-ins (okta-auth-js, raw IDX) arrive as user.session.start LogEvents in Okta's event
// hook payload with the secret header; list shows the delivery. A receiver that holds its request open or is down does
// not hold up a sign-in, and gets every event once it is back (retries with backoff, made fast by configuration).
// Nothing here measures time: each wait is for something the receiver or the store shows, with a bounded timeout.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OktaAuth } from 'okta-auth-js-7';
import { startServer, type TestServer } from '../support/start-server.js';
import { cliFor } from '../support/cli.js';
import { signInForCode } from '../support/idx-client.js';
import { createEventHook } from '../../src/admin-api/event-hooks.js';
import { createApiToken } from '../../src/admin-api/api-tokens.js';

const password = 'correct-horse-battery';
const redirectUri = 'http://localhost:3000/cb';
const SECRET = 'Bearer hook-secret-0123456789';

interface Received { method: string; url: string; headers: IncomingMessage['headers']; body: string }

/** A receiver that answers Okta's verification, and POSTs with 200, or holds them open ('hold'), and can go down and come back. */
async function receiver() {
  const got: Received[] = [];
  const held: ServerResponse[] = [];
  let mode: 'ok' | 'hold' | 'wrong' = 'ok';
  let server: Server;
  let port = 0;
  const listen = async () => {
    server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8').on('data', (d: string) => { body += d; }).on('end', () => {
        got.push({ method: req.method!, url: req.url!, headers: req.headers, body });
        const challenge = req.headers['x-okta-verification-challenge'];
        if (req.method === 'GET' && typeof challenge === 'string') {
          res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ verification: mode === 'wrong' ? 'nope' : challenge }));
        } else if (mode === 'hold') held.push(res);
        else res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  };
  await listen();
  return {
    got, held,
    get url() { return `http://127.0.0.1:${port}/hooks/okta`; },
    set mode(m: 'ok' | 'hold' | 'wrong') { mode = m; },
    posts: () => got.filter((g) => g.method === 'POST').map((g) => ({ headers: g.headers, json: JSON.parse(g.body) })),
    /** Down: the port closes and every open connection (a held request too) is cut. */
    down: () => new Promise<void>((r) => { server.close(() => r()); server.closeAllConnections(); }),
    /** Back on the same port. */
    up: listen,
  };
}

/** Waits until `check` returns something truthy, polling; fails after `ms` with `what`. */
async function waitFor<T>(what: string, check: () => T | Promise<T>, ms = 10_000): Promise<Exclude<T, false | null | undefined | 0 | ''>> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v as Exclude<T, false | null | undefined | 0 | ''>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const sessionStarts = (posts: { json: any }[], userId: string) => new Map(posts.flatMap((p) => p.json.data.events)
  .filter((e: any) => e.eventType === 'user.session.start' && e.target.some((t: any) => t.id === userId)).map((e: any) => [e.uuid, e]));

let gh: TestServer;
let web: { clientId: string; clientSecret?: string };
before(async () => {
  gh = await startServer({ config: { eventHooks: { timeoutMs: 5_000, retryBaseMs: 20, retryMaxMs: 200, pollMs: 50, batchSize: 50 } } });
  web = await gh.createApp({ name: 'hooked', redirectUris: [redirectUri] });
});
after(() => gh.close());

const signIn = async (username: string, pw = password) => {
  const auth = new OktaAuth({ issuer: gh.issuer, clientId: web.clientId, clientSecret: web.clientSecret, redirectUri, scopes: ['openid'] });
  return auth.idx.authenticate({ username, password: pw });
};

test('event-hook create verifies the receiver; sign-ins arrive as user.session.start in Okta\'s payload with the secret; list shows the delivery', async () => {
  const r = await receiver();
  const cli = cliFor(gh);
  const user = await gh.createUser({ email: 'hooked@example.com', password });

  const created = await cli('event-hook', 'create', '--url', r.url, '--event', 'user.session.start', '--secret', SECRET, '--name', 'SIEM');
  assert.equal(created.status, 0, created.stderr);
  const hook = JSON.parse(created.stdout);
  assert.equal(hook.verificationStatus, 'VERIFIED');
  assert.equal(hook.status, 'ACTIVE');
  assert.ok(!created.stdout.includes('hook-secret'), 'the secret is never printed');
  const verification = r.got[0]!;
  assert.equal(verification.method, 'GET');
  assert.match(String(verification.headers['x-okta-verification-challenge']), /^[A-Za-z0-9_-]{40,}$/);
  assert.equal(verification.headers.authorization, SECRET);
  const stored = (await gh.gatehouse.deps.store.eventHooks.findById(hook.id))!;
  assert.ok(!stored.authValueSealed!.includes('hook-secret'), 'stored sealed');
  assert.equal(await gh.gatehouse.deps.vault.open(stored.authValueSealed!), SECRET);

  assert.equal((await signIn('hooked@example.com')).status, 'SUCCESS');
  const raw = await signInForCode(gh, { clientId: web.clientId, redirectUri, username: 'hooked@example.com', password });
  assert.ok(raw.code, 'raw IDX sign-in');
  assert.notEqual((await signIn('hooked@example.com', 'wrong-password-here')).status, 'SUCCESS');

  const events = await waitFor('three user.session.start events', () => { const m = sessionStarts(r.posts(), user.id); return m.size >= 3 && m; });
  const post = r.posts()[0]!;
  assert.equal(post.headers.authorization, SECRET);
  assert.match(String(post.headers['content-type']), /^application\/json/);
  assert.equal(post.json.eventType, 'com.okta.event_hook');
  assert.equal(post.json.cloudEventsVersion, '0.1');
  assert.equal(post.json.eventTypeVersion, '1.0');
  assert.equal(post.json.contentType, 'application/json');
  assert.equal(post.json.source, `${gh.baseUrl}/api/v1/eventHooks/${hook.id}`);
  assert.ok(!Number.isNaN(Date.parse(post.json.eventTime)));
  const outcomes = [...events.values()].map((e: any) => e.outcome.result).sort();
  assert.deepEqual(outcomes, ['FAILURE', 'SUCCESS', 'SUCCESS']);
  assert.ok(r.posts().every((p) => p.json.data.events.every((e: any) => e.eventType === 'user.session.start')), 'only the subscribed type');

  const listed = await waitFor('the delivery recorded', async () => {
    const l = JSON.parse((await cli('event-hook', 'list')).stdout).find((h: any) => h.id === hook.id);
    return l.delivery.delivered >= 3 && l.delivery.pending === 0 && l;
  });
  assert.equal(listed.delivery.failures, 0);
  assert.ok(listed.delivery.lastDelivery);
  assert.equal(listed.delivery.lastError, null);

  assert.equal((await cli('event-hook', 'delete', '--id', hook.id)).status, 1, 'an ACTIVE hook is not deleted');
  assert.equal((await cli('event-hook', 'deactivate', '--id', hook.id)).status, 0);
  assert.equal((await cli('event-hook', 'delete', '--id', hook.id)).status, 0);
  await r.down();
});

test('a hook URL must be https or loopback http; a receiver that fails verification gets nothing until verify succeeds', async () => {
  const cli = cliFor(gh);
  const plain = await cli('event-hook', 'create', '--url', 'http://example.com/hook', '--event', 'user.session.start');
  assert.equal(plain.status, 1);
  assert.match(plain.stderr, /https/);
  assert.equal((await cli('event-hook', 'create', '--url', 'https://example.com/hook')).status, 2, '--event is required');

  const r = await receiver();
  r.mode = 'wrong';
  const user = await gh.createUser({ email: 'unverified@example.com', password });
  const made = await cli('event-hook', 'create', '--url', r.url, '--event', 'user.session.start');
  assert.equal(made.status, 1);
  assert.match(made.stderr, /not verified/);
  const hook = JSON.parse(made.stdout);
  assert.equal(hook.verificationStatus, 'UNVERIFIED');
  assert.equal((await signIn('unverified@example.com')).status, 'SUCCESS');
  assert.equal((await gh.gatehouse.deps.store.eventHooks.findById(hook.id))!.pending, 0, 'nothing is queued for an unverified hook');

  r.mode = 'ok';
  assert.equal((await cli('event-hook', 'verify', '--id', hook.id)).status, 0);
  assert.equal((await signIn('unverified@example.com')).status, 'SUCCESS');
  await waitFor('the sign-in after verification', () => sessionStarts(r.posts(), user.id).size === 1);
  await cli('event-hook', 'deactivate', '--id', hook.id);
  await r.down();
});

test('a receiver that holds its request open or is down does not hold up sign-in, and gets every event once it is back', async () => {
  const r = await receiver();
  const { deps } = gh.gatehouse;
  const user = await gh.createUser({ email: 'patient@example.com', password });
  const made = await createEventHook({ store: deps.store, vault: deps.vault, timeoutMs: 5_000, now: deps.now() },
    { url: r.url, events: ['user.session.start'], secret: SECRET });
  assert.equal(made.verified, true);
  r.mode = 'hold';

  assert.equal((await signIn('patient@example.com')).status, 'SUCCESS');
  await waitFor('the first delivery, held open by the receiver', () => r.held.length === 1);
  // A sign-in completes while the hook's request is open and unanswered.
  const raw = await signInForCode(gh, { clientId: web.clientId, redirectUri, username: 'patient@example.com', password });
  assert.ok(raw.code);
  assert.equal(r.held[0]!.writableEnded, false, 'the delivery is still waiting on the receiver');

  // Down: the held request is cut, the port refuses; the worker retries with backoff; sign-in still completes.
  await r.down();
  await waitFor('a retry against the receiver while it is down', async () => (await deps.store.eventHooks.findById(made.hook.id))!.failures >= 2);
  assert.equal((await signIn('patient@example.com')).status, 'SUCCESS');
  const down = (await deps.store.eventHooks.findById(made.hook.id))!;
  assert.ok(down.pending >= 3, `all three sign-ins wait in the queue (${down.pending})`);
  assert.ok(down.lastError);

  r.mode = 'ok';
  await r.up();
  await waitFor('all three sign-ins delivered once the receiver is back', () => sessionStarts(r.posts(), user.id).size === 3);
  const after = await waitFor('the queue empty', async () => { const h = (await deps.store.eventHooks.findById(made.hook.id))!; return h.pending === 0 && h; });
  assert.equal(after.failures, 0, 'failures reset by the delivery');
  assert.equal(after.lastError, null);
  await r.down();
});

test('/api/v1/eventHooks in Okta\'s shape: create (UNVERIFIED), lifecycle/verify, events delivered, deactivate, then delete', async () => {
  const r = await receiver();
  const { token } = await createApiToken(gh.gatehouse.deps.store, { name: 'hooks-admin', readOnly: false }, gh.clock.now());
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${gh.baseUrl}/api/v1/eventHooks${path}`, {
      method, headers: { Authorization: `SSWS ${token}`, Accept: 'application/json', ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, json: res.status === 204 ? null : await res.json() as any };
  };
  const user = await gh.createUser({ email: 'api-hooked@example.com', password });
  const bad = await call('POST', '', { name: 'x', events: { type: 'EVENT_TYPE', items: ['user.session.start'] }, channel: { type: 'HTTP', version: '1.0.0', config: { uri: 'http://example.com/x' } } });
  assert.equal(bad.status, 400);
  assert.equal(bad.json.errorCode, 'E0000001');
  assert.match(bad.json.errorCauses[0].errorSummary, /^channel\.config\.uri: /);

  const made = await call('POST', '', {
    name: 'From the API', events: { type: 'EVENT_TYPE', items: ['user.session.start'] },
    channel: { type: 'HTTP', version: '1.0.0', config: { uri: r.url, headers: [], authScheme: { type: 'HEADER', key: 'Authorization', value: SECRET } } },
  });
  assert.equal(made.status, 200, JSON.stringify(made.json));
  assert.equal(made.json.status, 'ACTIVE');
  assert.equal(made.json.verificationStatus, 'UNVERIFIED');
  assert.deepEqual(made.json.events.items, ['user.session.start']);
  assert.equal(made.json.channel.config.authScheme.value, undefined, 'the secret is never returned');
  assert.equal(r.got.length, 0, 'Okta verifies in a separate call');

  const verified = await call('POST', `/${made.json.id}/lifecycle/verify`);
  assert.equal(verified.status, 200);
  assert.equal(verified.json.verificationStatus, 'VERIFIED');
  assert.equal(r.got[0]!.headers.authorization, SECRET);
  assert.equal((await signIn('api-hooked@example.com')).status, 'SUCCESS');
  await waitFor('the sign-in at the API-made hook', () => sessionStarts(r.posts(), user.id).size === 1);

  assert.ok((await call('GET', '')).json.some((h: any) => h.id === made.json.id));
  assert.equal((await call('DELETE', `/${made.json.id}`)).status, 400, 'deactivate first');
  assert.equal((await call('POST', `/${made.json.id}/lifecycle/deactivate`)).json.status, 'INACTIVE');
  assert.equal((await call('DELETE', `/${made.json.id}`)).status, 204);
  assert.equal((await call('GET', `/${made.json.id}`)).json.errorCode, 'E0000007');
  await r.down();
});
