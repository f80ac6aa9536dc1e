// The IDX responses have the exact shapes the Okta clients rely on (shared/spec/idx-protocol.md §7-§9).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../support/start-server.js';
import { ION, codeOf, idx, interact, introspect } from '../support/idx-client.js';

let gh: TestServer;
const redirectUri = 'http://localhost:3000/interactioncode/callback';
before(async () => {
  gh = await startServer();
  await gh.createUser({ email: 'grace@example.com', password: 'a-long-password-1', firstName: 'Grace', lastName: 'Hopper' });
});
after(() => gh.close());

test('introspect by interactionHandle returns the identify form first, with absolute hrefs and a hidden immutable stateHandle', async () => {
  const { clientId } = await gh.createApp({ name: 'Sample App', redirectUris: [redirectUri] });
  const it = await interact(gh, { clientId, redirectUri });
  const r = await introspect(gh, { interactionHandle: it.interactionHandle });
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), ION);
  assert.match(r.headers.get('cache-control') ?? '', /no-store/);
  const body = r.json;
  assert.equal(body.version, '1.0.0');
  assert.equal(typeof body.stateHandle, 'string');
  assert.equal(body.intent, 'LOGIN');
  const identify = body.remediation.value[0];
  assert.deepEqual(identify.rel, ['create-form']);
  assert.equal(identify.name, 'identify');
  assert.equal(identify.href, `${gh.baseUrl}/idp/idx/identify`);
  assert.equal(identify.method, 'POST');
  assert.deepEqual(identify.value.map((f: any) => f.name), ['identifier', 'credentials', 'rememberMe', 'stateHandle']);
  assert.deepEqual(identify.value[1].form.value[0], { name: 'passcode', label: 'Password', secret: true });
  assert.deepEqual(identify.value[3], { name: 'stateHandle', required: true, value: body.stateHandle, visible: false, mutable: false });
  assert.equal(body.cancel.href, `${gh.baseUrl}/idp/idx/cancel`);
  assert.deepEqual(body.app.value, { name: 'oidc_client', label: 'Sample App', id: clientId });
});

test('introspect by stateToken and by stateHandle returns the same current state', async () => {
  const { clientId } = await gh.createApp({ name: 'x', redirectUris: [redirectUri] });
  const it = await interact(gh, { clientId, redirectUri });
  const a = await introspect(gh, { interactionHandle: it.interactionHandle });
  const b = await introspect(gh, { stateToken: a.json.stateHandle });
  const c = await introspect(gh, { stateHandle: a.json.stateHandle });
  assert.equal(b.text, a.text);
  assert.equal(c.text, a.text);
});

test('identify with the right password returns successWithInteractionCode and no remediation', async () => {
  const { clientId } = await gh.createApp({ name: 'x', redirectUris: [redirectUri] });
  const it = await interact(gh, { clientId, redirectUri });
  const a = await introspect(gh, { interactionHandle: it.interactionHandle });
  const r = await idx(a.json.remediation.value[0].href, { identifier: 'GRACE@example.com', credentials: { passcode: 'a-long-password-1' }, stateHandle: a.json.stateHandle });
  assert.equal(r.status, 200);
  assert.equal(r.json.remediation, undefined);
  const issue = r.json.successWithInteractionCode;
  assert.equal(issue.name, 'issue');
  assert.equal(issue.href, `${gh.issuer}/v1/token`);
  assert.ok(codeOf(r.json)!.length >= 43);
  assert.deepEqual(r.json.user.value, { id: r.json.user.value.id, identifier: 'grace@example.com' });
  const cookie = r.headers.get('set-cookie') ?? '';
  assert.match(cookie, /^gh_sid=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax/);
});

test('identifier-first: identify answers challenge-authenticator related to the password enrollment, then the answer succeeds', async () => {
  const { clientId } = await gh.createApp({ name: 'x', redirectUris: [redirectUri], signIn: 'identifier-first' });
  const it = await interact(gh, { clientId, redirectUri });
  const a = await introspect(gh, { interactionHandle: it.interactionHandle });
  assert.deepEqual(a.json.remediation.value[0].value.map((f: any) => f.name), ['identifier', 'rememberMe', 'stateHandle']);
  const b = await idx(a.json.remediation.value[0].href, { identifier: 'grace@example.com', stateHandle: a.json.stateHandle });
  assert.equal(b.status, 200);
  const challenge = b.json.remediation.value[0];
  assert.equal(challenge.name, 'challenge-authenticator');
  assert.equal(challenge.href, `${gh.baseUrl}/idp/idx/challenge/answer`);
  assert.deepEqual(challenge.relatesTo, ['$.currentAuthenticatorEnrollment']);
  assert.equal(b.json.currentAuthenticatorEnrollment.value.key, 'okta_password');
  assert.equal(b.json.stateHandle, a.json.stateHandle);
  const c = await idx(challenge.href, { credentials: { passcode: 'a-long-password-1' }, stateHandle: b.json.stateHandle });
  assert.equal(c.status, 200);
  assert.ok(codeOf(c.json));
});

test('identifier-first: an unknown identifier also gets the password challenge, so identify reveals nothing', async () => {
  const { clientId } = await gh.createApp({ name: 'x', redirectUris: [redirectUri], signIn: 'identifier-first' });
  const it = await interact(gh, { clientId, redirectUri });
  const a = await introspect(gh, { interactionHandle: it.interactionHandle });
  const known = await idx(a.json.remediation.value[0].href, { identifier: 'grace@example.com', stateHandle: a.json.stateHandle });
  const it2 = await interact(gh, { clientId, redirectUri });
  const a2 = await introspect(gh, { interactionHandle: it2.interactionHandle });
  const unknown = await idx(a2.json.remediation.value[0].href, { identifier: 'nobody@example.com', stateHandle: a2.json.stateHandle });
  assert.equal(unknown.status, known.status);
  assert.equal(unknown.text.replaceAll(a2.json.stateHandle, 'SH').replace(/"expiresAt":"[^"]+"/, ''), known.text.replaceAll(a.json.stateHandle, 'SH').replace(/"expiresAt":"[^"]+"/, ''));
  const c = await idx(unknown.json.remediation.value[0].href, { credentials: { passcode: 'a-long-password-1' }, stateHandle: a2.json.stateHandle });
  assert.equal(c.status, 401);
  assert.equal(c.json.messages.value[0].i18n.key, 'errors.E0000004');
});

test('login_hint passed to /interact prefills the identifier', async () => {
  const { clientId } = await gh.createApp({ name: 'x', redirectUris: [redirectUri] });
  const it = await interact(gh, { clientId, redirectUri, extra: { login_hint: 'grace@example.com' } });
  const a = await introspect(gh, { interactionHandle: it.interactionHandle });
  assert.equal(a.json.remediation.value[0].value[0].value, 'grace@example.com');
});

test('the org authorization server runs the same flow at /oauth2/v1/interact and issues tokens for the org', async () => {
  const redirect = 'http://localhost:3000/org/callback';
  const { clientId, clientSecret } = await gh.createApp({ name: 'org app', redirectUris: [redirect] });
  const org = { ...gh, issuer: gh.baseUrl } as TestServer;
  const { verifier, challenge } = (await import('../support/idx-client.js')).pkce();
  const it = await (await fetch(`${gh.baseUrl}/oauth2/v1/interact`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ client_id: clientId, redirect_uri: redirect, scope: 'openid email', state: 's', code_challenge: challenge, code_challenge_method: 'S256' }) })).json();
  const a = await introspect(org, { interactionHandle: it.interaction_handle });
  const done = await idx(a.json.remediation.value[0].href, { identifier: 'grace@example.com', credentials: { passcode: 'a-long-password-1' }, stateHandle: a.json.stateHandle });
  assert.equal(done.json.successWithInteractionCode.href, `${gh.baseUrl}/oauth2/v1/token`);
  const t = await fetch(`${gh.baseUrl}/oauth2/v1/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'Basic ' + Buffer.from(`${clientId}:${clientSecret}`).toString('base64') }, body: new URLSearchParams({ grant_type: 'interaction_code', interaction_code: codeOf(done.json)!, code_verifier: verifier }) }).then((r) => r.json());
  const at = JSON.parse(Buffer.from(t.access_token.split('.')[1], 'base64url').toString());
  assert.equal(at.iss, gh.baseUrl);
  assert.equal(at.aud, gh.baseUrl);
  const info = await fetch(`${gh.baseUrl}/oauth2/v1/userinfo`, { headers: { authorization: `Bearer ${t.access_token}` } });
  assert.equal(info.status, 200);
  // An org token is not accepted by the default server.
  assert.equal((await fetch(`${gh.issuer}/v1/userinfo`, { headers: { authorization: `Bearer ${t.access_token}` } })).status, 401);
});
