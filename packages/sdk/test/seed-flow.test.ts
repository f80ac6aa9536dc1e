// The SDK against a real Gatehouse: the seed's flow headless (authenticate -> redeem -> userinfo -> refresh
// -> revoke) in both sign-in policies, each typed error, and forged ID tokens refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPair, SignJWT } from 'jose';
import { IdxClient, GatehouseError } from '../src/index.js';
import { startServer, type TestServer } from '../../server/test/support/start-server.js';
import { pkce, signInForCode } from '../../server/test/support/idx-client.js';

let gh: TestServer;
const redirectUri = 'http://localhost:3000/interactioncode/callback';
const password = 'a-long-password-1';
let web: { clientId: string; clientSecret?: string };
let ifApp: { clientId: string; clientSecret?: string };

before(async () => {
  gh = await startServer();
  await gh.createUser({ email: 'sdk@example.com', password, firstName: 'Sdk', lastName: 'User' });
  web = await gh.createApp({ name: 'sdk web', redirectUris: [redirectUri] });
  ifApp = await gh.createApp({ name: 'sdk if', redirectUris: [redirectUri], signIn: 'identifier-first' });
});
after(() => gh.close());

const client = (app = web, scopes = ['openid', 'profile', 'email', 'offline_access']) =>
  new IdxClient({ issuer: gh.issuer, clientId: app.clientId, clientSecret: app.clientSecret, redirectUri, scopes });

for (const [policy, app] of [['password-first', () => web], ['identifier-first', () => ifApp]] as const) {
  test(`the seed flow headless: authenticate, userinfo, refresh, revoke (${policy})`, async () => {
    const idx = client(app());
    const r = await idx.authenticate({ username: 'sdk@example.com', password });
    assert.equal(r.status, 'SUCCESS');
    if (r.status !== 'SUCCESS') return;
    assert.equal(r.tokens.claims.email, 'sdk@example.com');
    const me = await idx.getUserInfo(r.tokens.accessToken);
    assert.equal(me.sub, r.tokens.claims.sub);
    assert.equal(me.name, 'Sdk User');
    const refreshed = await idx.refresh(r.tokens.refreshToken!);
    assert.notEqual(refreshed.refreshToken, r.tokens.refreshToken);
    await idx.revoke(refreshed.refreshToken!, 'refresh_token');
    await assert.rejects(idx.getUserInfo(refreshed.accessToken), (e: GatehouseError) => e.code === 'OAUTH_ERROR' && e.error === 'invalid_token');
  });
}

test('identifier-first without a password returns PENDING with the password step, and proceed finishes', async () => {
  const idx = client(ifApp);
  const r = await idx.authenticate({ username: 'sdk@example.com' });
  assert.equal(r.status, 'PENDING');
  if (r.status !== 'PENDING') return;
  assert.equal(r.nextStep.name, 'challenge-authenticator');
  assert.deepEqual(r.nextStep.inputs.map((i) => i.name), ['credentials.passcode']);
  const done = await idx.proceed(r.transaction, { password });
  assert.equal(done.status, 'SUCCESS');
});

test('startInteraction + redeemInteractionCode: the widget flow with the app holding the verifier', async () => {
  const idx = client();
  const { context, widgetConfig } = idx.startInteraction();
  assert.equal(widgetConfig.codeChallengeMethod, 'S256');
  assert.equal(widgetConfig.codeChallenge, context.codeChallenge);
  assert.equal((widgetConfig as any).codeVerifier, undefined, 'the verifier never reaches the page');
  // Play the widget's part over raw HTTP with the app's challenge and state.
  const it = await fetch(`${gh.issuer}/v1/interact`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ client_id: web.clientId, redirect_uri: redirectUri, scope: widgetConfig.scopes.join(' '), state: widgetConfig.state, nonce: widgetConfig.nonce, code_challenge: widgetConfig.codeChallenge, code_challenge_method: 'S256' }) }).then((r) => r.json());
  const a = await fetch(`${gh.baseUrl}/idp/idx/introspect`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ interactionHandle: it.interaction_handle }) }).then((r) => r.json());
  const b = await fetch(a.remediation.value[0].href, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ identifier: 'sdk@example.com', credentials: { passcode: password }, stateHandle: a.stateHandle }) }).then((r) => r.json());
  const code = b.successWithInteractionCode.value.find((f: any) => f.name === 'interaction_code').value;
  const tokens = await idx.handleCallback(context, { state: widgetConfig.state, interaction_code: code });
  assert.equal(tokens.claims.nonce, context.nonce);
  await assert.rejects(idx.handleCallback(context, { state: widgetConfig.state, interaction_code: code }), (e: GatehouseError) => e.code === 'OAUTH_ERROR' && e.error === 'invalid_grant');
});

test('typed errors: IDX_ERROR for a wrong password, STATE_MISMATCH, OAUTH_ERROR from the callback, NETWORK_ERROR', async () => {
  const idx = client();
  await assert.rejects(idx.authenticate({ username: 'sdk@example.com', password: 'wrong-password-1' }), (e: GatehouseError) =>
    e.code === 'IDX_ERROR' && e.status === 401 && e.messages?.[0]?.i18n?.key === 'errors.E0000004');
  const { context } = idx.startInteraction();
  await assert.rejects(idx.handleCallback(context, { state: 'forged', interaction_code: 'x' }), (e: GatehouseError) => e.code === 'STATE_MISMATCH');
  await assert.rejects(idx.handleCallback(context, { state: context.state, error: 'access_denied', error_description: '<b>no</b>' }), (e: GatehouseError) => e.code === 'OAUTH_ERROR' && e.error === 'access_denied' && e.error_description === '<b>no</b>');
  const offline = new IdxClient({ issuer: 'http://127.0.0.1:9/oauth2/default', clientId: 'x', redirectUri });
  await assert.rejects(offline.getUserInfo('t'), (e: GatehouseError) => e.code === 'NETWORK_ERROR');
  assert.throws(() => new IdxClient({ issuer: 'http://id.example.com/oauth2/default', clientId: 'x', redirectUri }), (e: GatehouseError) => e.code === 'CONFIG_ERROR');
});

test('forged ID tokens are refused: wrong nonce, wrong audience, foreign signature', async () => {
  const idx = client();
  const s = await signInForCode(gh, { clientId: web.clientId, redirectUri, username: 'sdk@example.com', password, scope: 'openid' });
  const real = await fetch(`${gh.issuer}/v1/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'Basic ' + Buffer.from(`${web.clientId}:${web.clientSecret}`).toString('base64') }, body: new URLSearchParams({ grant_type: 'interaction_code', interaction_code: s.code, code_verifier: s.verifier }) }).then((r) => r.json());
  await idx.verifyIdToken(real.id_token, { nonce: s.nonce });
  await assert.rejects(idx.verifyIdToken(real.id_token, { nonce: 'another' }), (e: GatehouseError) => e.code === 'TOKEN_INVALID');
  const other = client(ifApp);
  await assert.rejects(other.verifyIdToken(real.id_token), (e: GatehouseError) => e.code === 'TOKEN_INVALID');
  const { privateKey } = await generateKeyPair('RS256');
  const header = JSON.parse(Buffer.from(real.id_token.split('.')[0], 'base64url').toString());
  const claims = JSON.parse(Buffer.from(real.id_token.split('.')[1], 'base64url').toString());
  const forged = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: header.kid }).sign(privateKey);
  await assert.rejects(idx.verifyIdToken(forged), (e: GatehouseError) => e.code === 'TOKEN_INVALID');
  const none = `${Buffer.from(JSON.stringify({ alg: 'none', kid: header.kid })).toString('base64url')}.${real.id_token.split('.')[1]}.`;
  await assert.rejects(idx.verifyIdToken(none), (e: GatehouseError) => e.code === 'TOKEN_INVALID');
  void pkce;
});
