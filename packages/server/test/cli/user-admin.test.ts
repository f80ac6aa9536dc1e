// Administering users through the real CLI against a running instance: suspend and deactivate refuse the
// sign-in with the generic message and kill refresh tokens and access tokens; activate brings the user back;
// set-password applies the policy, replaces the password and ends the user's IdP sessions.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../support/start-server.js';
import { cliFor } from '../support/cli.js';
import { signIn } from '../support/sign-in.js';
import { codeOf, idx, interact, introspect, token } from '../support/idx-client.js';
import { sha256 } from '../../src/random.js';

const redirectUri = 'http://localhost:3000/cb';
const password = 'a-long-password-1';
let gh: TestServer;
let web: { clientId: string; clientSecret?: string };
const run = (...args: string[]) => cliFor(gh)(...args);

before(async () => {
  gh = await startServer();
  web = await gh.createApp({ name: 'web', redirectUris: [redirectUri] });
});
after(() => gh.close());

/** The raw password-first step: status, body text, and the session cookie on success. */
async function attempt(email: string, pass: string) {
  const it = await interact(gh, { clientId: web.clientId, redirectUri });
  const a = (await introspect(gh, { interactionHandle: it.interactionHandle })).json;
  const r = await idx(a.remediation.value[0].href, { identifier: email, credentials: { passcode: pass }, stateHandle: a.stateHandle });
  // Bodies compared without what differs per transaction: the stateHandle and its expiry.
  // …and the passkey autofill challenge, which is per transaction too.
  const text = r.text.replaceAll(a.stateHandle, 'STATE').replace(/"expiresAt":"[^"]+"/, '"expiresAt":"…"').replace(/"challenge":"[^"]+"/, '"challenge":"…"');
  return { status: r.status, text, code: codeOf(r.json), cookie: r.headers.get('set-cookie') };
}
const userinfoStatus = async (at: string) => (await fetch(`${gh.issuer}/v1/userinfo`, { headers: { authorization: `Bearer ${at}` } })).status;

for (const sub of ['suspend', 'deactivate'] as const) {
  test(`user ${sub}: the sign-in is refused exactly as a wrong password, and the user's tokens and sessions die; activate restores sign-in`, async () => {
    const email = `${sub}@example.com`;
    await gh.createUser({ email, password });
    const tokens = await signIn(gh, { ...web, redirectUri, username: email, password, scope: 'openid offline_access' });
    const before = await attempt(email, password);
    assert.ok(before.code);
    const wrong = await attempt(email, 'not-the-password-1');

    const r = (await run('user', sub, '--email', email));
    assert.equal(r.status, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).status, sub === 'suspend' ? 'SUSPENDED' : 'DEPROVISIONED');

    const refused = await attempt(email, password);
    assert.equal(refused.status, wrong.status);
    assert.equal(refused.text, wrong.text, 'the same body as a wrong password');
    assert.equal(refused.code, undefined);
    assert.equal(await userinfoStatus(tokens.access_token), 401, 'the access token no longer works at userinfo');
    assert.equal((await token(gh, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token! }, web)).json.error, 'invalid_grant');
    const sid = /^gh_sid=([^;]+)/.exec(before.cookie!)![1]!;
    assert.equal(await gh.gatehouse.deps.store.sessions.findByIdHash(sha256(sid), gh.clock.now()), null, 'the IdP session ended');
    const events = await gh.gatehouse.deps.store.events.list({ limit: 10, type: `user.${sub}` });
    assert.equal(events.length, 1);

    assert.equal((await run('user', 'activate', '--email', email)).status, 0);
    assert.ok((await attempt(email, password)).code, 'active again');
  });
}

test('user set-password applies the policy, replaces the password and ends the IdP sessions', async () => {
  const email = 'reset@example.com';
  await gh.createUser({ email, password });
  const first = await attempt(email, password);
  assert.ok(first.code);

  const weak = (await run('user', 'set-password', '--email', email, '--password', 'short'));
  assert.notEqual(weak.status, 0);
  assert.match(weak.stderr, /at least/);
  const withLogin = (await run('user', 'set-password', '--email', email, '--password', `x-${email}-x`));
  assert.notEqual(withLogin.status, 0, 'a password containing the login is refused');
  assert.equal((await run('user', 'set-password', '--email', email)).status, 2, '--password is required');

  const r = (await run('user', 'set-password', '--email', email, '--password', 'a-brand-new-password-2'));
  assert.equal(r.status, 0, r.stderr);
  assert.doesNotMatch(r.stdout, /brand-new/, 'the password is never printed');
  assert.equal((await attempt(email, password)).code, undefined, 'the old password no longer works');
  assert.ok((await attempt(email, 'a-brand-new-password-2')).code);
  const sid = /^gh_sid=([^;]+)/.exec(first.cookie!)![1]!;
  assert.equal(await gh.gatehouse.deps.store.sessions.findByIdHash(sha256(sid), gh.clock.now()), null);
});

test('user commands on an unknown user say so and exit non-zero', async () => {
  for (const args of [['suspend'], ['activate'], ['set-password', '--password', 'a-long-password-9']]) {
    const sub = args[0]!;
    const r = (await run('user', ...args, '--email', 'nobody@example.com'));
    assert.notEqual(r.status, 0, sub);
    assert.match(r.stderr, /no such user/);
  }
});
