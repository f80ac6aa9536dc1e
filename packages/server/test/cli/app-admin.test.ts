// Administering apps through the real CLI against a running instance: rotate-secret prints a new secret once
// and the old one stops working at once; update replaces redirect URIs (the old one is refused from then on),
// changes the sign-in policy, and refuses bad values without changing anything.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../support/start-server.js';
import { cliFor } from '../support/cli.js';
import { interact, introspect, token } from '../support/idx-client.js';

let gh: TestServer;
const run = (...args: string[]) => cliFor(gh)(...args);

before(async () => { gh = await startServer(); });
after(() => gh.close());

test('app rotate-secret prints a new secret once; the old secret is refused at once and the new one works', async () => {
  const svc = await gh.createApp({ name: 'svc', type: 'service' });
  assert.equal((await token(gh, { grant_type: 'client_credentials' }, svc)).status, 200);
  const r = (await run('app', 'rotate-secret', '--client-id', svc.clientId));
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.client_id, svc.clientId);
  assert.ok(out.client_secret.length >= 43);
  assert.notEqual(out.client_secret, svc.clientSecret);
  const old = await token(gh, { grant_type: 'client_credentials' }, svc);
  assert.equal(old.status, 401);
  assert.equal(old.json.error, 'invalid_client');
  assert.equal((await token(gh, { grant_type: 'client_credentials' }, { clientId: svc.clientId, clientSecret: out.client_secret })).status, 200);
  assert.doesNotMatch((await run('app', 'list')).stdout, new RegExp(out.client_secret), 'app list never shows a secret');
  const events = await gh.gatehouse.deps.store.events.list({ limit: 5, type: 'app.secret_rotated' });
  assert.equal(events[0]?.clientId, svc.clientId);
});

test('app rotate-secret refuses a public app and an unknown client id', async () => {
  const spa = await gh.createApp({ name: 'spa', type: 'spa', redirectUris: ['http://localhost:3000/cb'] });
  const pub = (await run('app', 'rotate-secret', '--client-id', spa.clientId));
  assert.notEqual(pub.status, 0);
  assert.match(pub.stderr, /does not authenticate with a client secret/);
  const unknown = (await run('app', 'rotate-secret', '--client-id', '0oaNoSuchApp'));
  assert.notEqual(unknown.status, 0);
  assert.match(unknown.stderr, /no app with client id/);
});

test('app update replaces the redirect URIs and the sign-in policy; the old redirect URI is refused from then on', async () => {
  const oldUri = 'http://localhost:3000/old/cb';
  const newUri = 'http://localhost:3000/new/cb';
  const web = await gh.createApp({ name: 'web', redirectUris: [oldUri] });
  const r = (await run('app', 'update', '--client-id', web.clientId, '--redirect-uri', newUri, '--sign-in', 'identifier-first', '--name', 'Renamed'));
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.deepEqual(out.redirect_uris, [newUri]);
  assert.equal(out.sign_in, 'identifier-first');
  assert.equal(out.name, 'Renamed');
  await assert.rejects(interact(gh, { clientId: web.clientId, redirectUri: oldUri }), /interact failed: 400/);
  const it = await interact(gh, { clientId: web.clientId, redirectUri: newUri });
  const first = (await introspect(gh, { interactionHandle: it.interactionHandle })).json;
  assert.deepEqual(first.remediation.value[0].value.map((f: { name: string }) => f.name), ['identifier', 'rememberMe', 'stateHandle'], 'identifier first now');
  assert.equal(first.app.value.label, 'Renamed');
});

test('app update refuses bad values and changes nothing', async () => {
  const uri = 'http://localhost:3000/keep/cb';
  const web = await gh.createApp({ name: 'keep', redirectUris: [uri] });
  const before = (await run('app', 'list')).stdout;
  for (const [args, message] of [
    [['--redirect-uri', 'not a uri'], /not an absolute redirect URI/],
    [['--redirect-uri', 'https://app.example.com/cb#frag'], /not an absolute redirect URI/],
    [['--sign-in', 'magic'], /sign-in policy/],
    [['--trusted-origin', 'https://app.example.com/path'], /not an origin/],
    [['--name', ''], /app name/],
  ] as [string[], RegExp][]) {
    const r = (await run('app', 'update', '--client-id', web.clientId, ...args));
    assert.notEqual(r.status, 0, args.join(' '));
    assert.match(r.stderr, message, args.join(' '));
  }
  assert.equal((await run('app', 'update')).status, 2, '--client-id is required');
  assert.equal((await run('app', 'list')).stdout, before, 'nothing changed');
});
