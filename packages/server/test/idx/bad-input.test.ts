// Bad IDX and /interact input gets a clear error, never a 5xx, and leaves nothing usable behind.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../support/start-server.js';
import { ION, codeOf, idx, interact, introspect } from '../support/idx-client.js';

let gh: TestServer;
const redirectUri = 'https://app.example.com/interactioncode/callback';
const password = 'a-long-password-1';
let clientId: string;
let ifClient: string;

before(async () => {
  gh = await startServer();
  await gh.createUser({ email: 'grace@example.com', password });
  const locked = await gh.createUser({ email: 'locked@example.com', password });
  const gone = await gh.createUser({ email: 'gone@example.com', password });
  await gh.gatehouse.deps.store.users.recordFailure(locked.id, gh.clock.now(), { maxAttempts: 1, durationSeconds: 3600 });
  await gh.gatehouse.deps.store.users.setStatus(gone.id, 'DEPROVISIONED', gh.clock.now());
  clientId = (await gh.createApp({ name: 'x', redirectUris: [redirectUri] })).clientId;
  ifClient = (await gh.createApp({ name: 'if', redirectUris: [redirectUri], signIn: 'identifier-first' })).clientId;
});
after(() => gh.close());

async function fresh(id = clientId) {
  const it = await interact(gh, { clientId: id, redirectUri });
  return (await introspect(gh, { interactionHandle: it.interactionHandle })).json;
}

test('unknown user, wrong password, locked and deactivated users get byte-identical 401 responses', async () => {
  const start = await fresh();
  const href = start.remediation.value[0].href;
  const attempts = [
    { identifier: 'nobody@example.com', credentials: { passcode: password } },
    { identifier: 'grace@example.com', credentials: { passcode: 'wrong-password-1' } },
    { identifier: 'locked@example.com', credentials: { passcode: password } },
    { identifier: 'gone@example.com', credentials: { passcode: password } },
  ];
  const results = [];
  for (const a of attempts) results.push(await idx(href, { ...a, stateHandle: start.stateHandle }));
  for (const r of results) {
    assert.equal(r.status, 401);
    assert.equal(r.text, results[0]!.text);
  }
  const body = results[0]!.json;
  assert.deepEqual(body.messages.value, [{ message: 'Authentication failed', i18n: { key: 'errors.E0000004' }, class: 'ERROR' }]);
  assert.equal(body.stateHandle, start.stateHandle, 'the stateHandle is not rotated on error');
  assert.equal(body.remediation.value[0].name, 'identify');
  // The same transaction still works afterwards.
  const ok = await idx(href, { identifier: 'grace@example.com', credentials: { passcode: password }, stateHandle: start.stateHandle });
  assert.ok(codeOf(ok.json));
});

test('a password posted before identify (identifier-first) is refused and no failure is counted', async () => {
  const start = await fresh(ifClient);
  const before = (await gh.gatehouse.deps.store.users.findByLogin('grace@example.com'))!.failedAttempts;
  const r = await idx(`${gh.baseUrl}/idp/idx/challenge/answer`, { credentials: { passcode: 'wrong' }, stateHandle: start.stateHandle });
  assert.equal(r.status, 400);
  assert.equal(r.json.messages.value[0].i18n.key, 'idx.error.step.not.available');
  assert.equal(r.json.remediation.value[0].name, 'identify');
  assert.equal(codeOf(r.json), undefined);
  assert.equal((await gh.gatehouse.deps.store.users.findByLogin('grace@example.com'))!.failedAttempts, before);
});

test('select-authenticator at /idp/idx/challenge is not offered by a password policy and is refused', async () => {
  const start = await fresh();
  const r = await idx(`${gh.baseUrl}/idp/idx/challenge`, { authenticator: { id: 'autPWD0000000000000' }, stateHandle: start.stateHandle });
  assert.equal(r.status, 400);
  assert.equal(r.json.messages.value[0].i18n.key, 'idx.error.step.not.available');
});

test('an unknown, malformed or missing stateHandle gets the terminal session-expired answer', async () => {
  for (const stateHandle of ['02nope', 42, undefined, 'x'.repeat(5000)]) {
    const r = await idx(`${gh.baseUrl}/idp/idx/identify`, { identifier: 'grace@example.com', credentials: { passcode: password }, stateHandle });
    assert.equal(r.status, 401);
    assert.equal(r.json.version, '1.0.0');
    assert.equal(r.json.remediation, undefined);
    assert.equal(r.json.messages.value[0].i18n.key, 'idx.session.expired');
  }
  const r = await introspect(gh, { interactionHandle: 'unknown' });
  assert.equal(r.status, 401);
  assert.match(r.headers.get('content-type') ?? '', /application\/json/);
});

test('an expired transaction answers session-expired (test clock, no sleep)', async () => {
  const start = await fresh();
  gh.clock.advance(601_000);
  try {
    const r = await idx(start.remediation.value[0].href, { identifier: 'grace@example.com', credentials: { passcode: password }, stateHandle: start.stateHandle });
    assert.equal(r.status, 401);
    assert.equal(r.json.messages.value[0].i18n.key, 'idx.session.expired');
  } finally {
    gh.clock.advance(-601_000);
  }
});

test('a cancelled transaction cannot be used again', async () => {
  const start = await fresh();
  const c = await idx(start.cancel.href, { stateHandle: start.stateHandle });
  assert.equal(c.status, 200);
  const r = await idx(start.remediation.value[0].href, { identifier: 'grace@example.com', credentials: { passcode: password }, stateHandle: start.stateHandle });
  assert.equal(r.status, 401);
  assert.equal(r.json.messages.value[0].i18n.key, 'idx.session.expired');
});

test('after success, replaying identify or introspecting the interaction handle never yields a second interaction code', async () => {
  const it = await interact(gh, { clientId, redirectUri });
  const start = (await introspect(gh, { interactionHandle: it.interactionHandle })).json;
  const body = { identifier: 'grace@example.com', credentials: { passcode: password }, stateHandle: start.stateHandle };
  const first = await idx(start.remediation.value[0].href, body);
  assert.ok(codeOf(first.json));
  const again = await idx(start.remediation.value[0].href, body);
  assert.equal(again.status, 401);
  assert.equal(codeOf(again.json), undefined);
  const intro = await introspect(gh, { interactionHandle: it.interactionHandle });
  assert.equal(intro.status, 401);
  assert.equal(codeOf(intro.json), undefined);
});

test('concurrent correct submissions of one transaction mint exactly one interaction code', async () => {
  const start = await fresh();
  const body = { identifier: 'grace@example.com', credentials: { passcode: password }, stateHandle: start.stateHandle };
  const rs = await Promise.all(Array.from({ length: 10 }, () => idx(start.remediation.value[0].href, body)));
  assert.equal(rs.filter((r) => codeOf(r.json)).length, 1);
  assert.ok(rs.every((r) => r.status < 500));
});

test('missing or wrongly typed fields give 400 with a field message and keep the form', async () => {
  const start = await fresh();
  const href = start.remediation.value[0].href;
  const blank = await idx(href, { credentials: { passcode: password }, stateHandle: start.stateHandle });
  assert.equal(blank.status, 400);
  const identifier = blank.json.remediation.value[0].value.find((f: any) => f.name === 'identifier');
  assert.equal(identifier.messages.value[0].i18n.key, 'model.validation.field.blank');
  const typed = await idx(href, { identifier: 5, credentials: { passcode: password }, stateHandle: start.stateHandle });
  assert.equal(typed.status, 400);
  assert.equal(typed.json.remediation.value[0].value.find((f: any) => f.name === 'identifier').messages.value[0].i18n.key, 'model.validation.field.invalid');
  const noPass = await idx(href, { identifier: 'grace@example.com', stateHandle: start.stateHandle });
  assert.equal(noPass.status, 400);
  const creds = noPass.json.remediation.value[0].value.find((f: any) => f.name === 'credentials');
  assert.ok(creds.messages || creds.form.value[0].messages);
});

test('prototype-pollution keys in IDX bodies never reach Object.prototype', async () => {
  const start = await fresh();
  const raw = `{"identifier":"grace@example.com","credentials":{"passcode":"x","__proto__":{"polluted":1}},"__proto__":{"isAdmin":true},"constructor":{"prototype":{"bad":1}},"stateHandle":"${start.stateHandle}"}`;
  const res = await fetch(start.remediation.value[0].href, { method: 'POST', headers: { 'content-type': 'application/json' }, body: raw });
  assert.equal(res.status, 401);
  assert.equal(({} as any).isAdmin, undefined);
  assert.equal(({} as any).polluted, undefined);
  assert.equal(({} as any).bad, undefined);
});

test('broken JSON, invalid UTF-8, a JSON array and a wrong media type get a 4xx Okta API error, never a 5xx', async () => {
  const url = `${gh.baseUrl}/idp/idx/identify`;
  const cases: [BodyInit, string, number][] = [
    ['{"identifier":', 'application/json', 400],
    ['', 'application/json', 400],
    [Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), 'application/json', 400],
    ['[1,2]', 'application/json', 400],
    ['identifier=x', 'application/x-www-form-urlencoded', 415],
    ['{}', 'text/plain', 415],
  ];
  for (const [body, type, status] of cases) {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': type }, body });
    assert.equal(res.status, status, `${type} ${String(body)}`);
    const json = await res.json();
    assert.equal(json.errorCode, 'E0000003');
    assert.equal(typeof json.errorSummary, 'string');
  }
});

test('deeply nested JSON and bodies over 64 KB are refused with 4xx', async () => {
  const deep = '['.repeat(30000) + ']'.repeat(30000);
  const r1 = await fetch(`${gh.baseUrl}/idp/idx/identify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: deep });
  assert.ok(r1.status === 400 || r1.status === 413, String(r1.status));
  const big = JSON.stringify({ identifier: 'x'.repeat(70 * 1024) });
  const r2 = await fetch(`${gh.baseUrl}/idp/idx/identify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: big });
  assert.equal(r2.status, 413);
});

test('GET on an IDX endpoint is 405 with Allow: POST', async () => {
  const res = await fetch(`${gh.baseUrl}/idp/idx/identify`);
  assert.equal(res.status, 405);
  assert.equal(res.headers.get('allow'), 'POST');
});

test('/interact without a code challenge, with plain, or with a malformed challenge is invalid_request', async () => {
  const base = { client_id: clientId, redirect_uri: redirectUri, scope: 'openid', state: 's' };
  const cases = [
    {},
    { code_challenge: 'x'.repeat(43), code_challenge_method: 'plain' },
    { code_challenge: 'not valid!', code_challenge_method: 'S256' },
    { code_challenge: 'x'.repeat(43) },
  ];
  for (const c of cases) {
    const res = await fetch(`${gh.issuer}/v1/interact`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ ...base, ...c } as Record<string, string>) });
    assert.equal(res.status, 400);
    assert.equal((await res.json()).error, 'invalid_request');
  }
});

test('/interact refuses unregistered and near-miss redirect URIs', async () => {
  const nearMisses = [
    redirectUri + '/', redirectUri.toUpperCase(), redirectUri.replace('callback', 'Callback'), redirectUri + '?x=1', redirectUri + '#f',
    'https://app.example.com:8443/interactioncode/callback', 'http://app.example.com/interactioncode/callback',
    'https://app.example.com/interactioncode/callback/../evil', 'https://app.example.com%2F@evil.example/interactioncode/callback',
    'https://app.example.com@evil.example/interactioncode/callback', 'https://evil.example/interactioncode/callback',
    'https://app.example.com/interactioncode/%63allback',
  ];
  for (const u of nearMisses) {
    const res = await fetch(`${gh.issuer}/v1/interact`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: clientId, redirect_uri: u, scope: 'openid', state: 's', code_challenge: 'x'.repeat(43), code_challenge_method: 'S256' }),
    });
    assert.equal(res.status, 400, u);
    assert.equal((await res.json()).error, 'invalid_request');
  }
});

test('/interact with an unknown client or a wrong secret is 401 invalid_client; without a secret it is accepted', async () => {
  const { clientId: web, clientSecret } = await gh.createApp({ name: 'w', redirectUris: [redirectUri] });
  const params = (extra: Record<string, string>) => new URLSearchParams({ redirect_uri: redirectUri, scope: 'openid', state: 's', code_challenge: 'x'.repeat(43), code_challenge_method: 'S256', ...extra });
  const post = (body: URLSearchParams) => fetch(`${gh.issuer}/v1/interact`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
  const unknown = await post(params({ client_id: '0oaUNKNOWN' }));
  assert.equal(unknown.status, 401);
  assert.equal((await unknown.json()).error, 'invalid_client');
  const wrong = await post(params({ client_id: web, client_secret: 'nope' }));
  assert.equal(wrong.status, 401);
  assert.equal((await post(params({ client_id: web }))).status, 200);
  assert.equal((await post(params({ client_id: web, client_secret: clientSecret! }))).status, 200);
});
