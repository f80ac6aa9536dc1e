// The SDK against a real Gatehouse (SQLite, loopback port): the seed's flow headless (authenticate ->
// redeem -> userinfo -> refresh -> revoke) in both sign-in policies, the widget's flow with the app holding
// the verifier, each typed error, and forged ID tokens refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { generateKeyPair, SignJWT } from 'jose';
import { GatehouseError, IdxClient, interact, type SignInContext } from '../src/index.js';
import { startServer, type TestServer } from '../../server/test/support/start-server.js';

const redirectUri = 'http://localhost:3000/interactioncode/callback';
const email = 'sdk@example.com';
const password = 'a-long-password-1';
const scopes = ['openid', 'profile', 'email', 'offline_access'];
let gh: TestServer;
let web: { clientId: string; clientSecret?: string };
let identifierFirst: { clientId: string; clientSecret?: string };
let spa: { clientId: string; clientSecret?: string };

before(async () => {
  gh = await startServer();
  await gh.createUser({ email, password, firstName: 'Sdk', lastName: 'User' });
  web = await gh.createApp({ name: 'sdk web', type: 'web', redirectUris: [redirectUri], postLogoutRedirectUris: ['http://localhost:3000/'] });
  identifierFirst = await gh.createApp({ name: 'sdk identifier-first', type: 'web', redirectUris: [redirectUri], signIn: 'identifier-first' });
  spa = await gh.createApp({ name: 'sdk spa', type: 'spa', redirectUris: [redirectUri] });
});
after(() => gh.close());

const clientFor = (app: { clientId: string; clientSecret?: string }) =>
  new IdxClient({ issuer: gh.issuer, clientId: app.clientId, clientSecret: app.clientSecret, redirectUri, scopes });
const hasCode = (code: GatehouseError['code'], more: (e: GatehouseError) => boolean = () => true) =>
  (e: unknown) => e instanceof GatehouseError && e.code === code && more(e);

/** Plays the widget's part over raw HTTP with the app's challenge, state and nonce; returns the interaction code. */
async function widgetSignIn(idx: IdxClient, context: SignInContext): Promise<string> {
  const interactionHandle = await interact(idx.config, context);
  const ion = { 'content-type': 'application/ion+json; okta-version=1.0.0' };
  const first = await fetch(idx.endpoints.introspect, { method: 'POST', headers: ion, body: JSON.stringify({ interactionHandle }) }).then((r) => r.json());
  const done = await fetch(first.remediation.value[0].href, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ identifier: email, credentials: { passcode: password }, stateHandle: first.stateHandle }),
  }).then((r) => r.json());
  return done.successWithInteractionCode.value.find((f: { name: string }) => f.name === 'interaction_code').value;
}

for (const [policy, app] of [['password-first', () => web], ['identifier-first', () => identifierFirst]] as const) {
  test(`the seed flow headless (${policy}): authenticate redeems and verifies, then userinfo, refresh and revoke`, async () => {
    const idx = clientFor(app());
    const r = await idx.authenticate({ username: email, password });
    assert.equal(r.status, 'SUCCESS');
    if (r.status !== 'SUCCESS') return;
    assert.equal(r.tokens.tokenType, 'Bearer');
    assert.ok(r.tokens.expiresIn > 0);
    assert.equal(r.tokens.claims.aud, app().clientId);
    assert.equal(r.tokens.claims.iss, gh.issuer);
    const access = await idx.verifyAccessToken(r.tokens.accessToken);
    assert.equal(access.aud, 'api://default');
    await assert.rejects(idx.verifyAccessToken(r.tokens.accessToken, { audience: 'api://other' }), hasCode('TOKEN_INVALID'));

    const me = await idx.getUserInfo(r.tokens.accessToken);
    assert.equal(me.sub, r.tokens.claims.sub);
    assert.equal(me.name, 'Sdk User');
    assert.equal(me.email, email);

    const refreshed = await idx.refresh(r.tokens.refreshToken!);
    assert.ok(refreshed.refreshToken);
    assert.notEqual(refreshed.refreshToken, r.tokens.refreshToken, 'the refresh token rotates');
    assert.equal((await idx.getUserInfo(refreshed.accessToken)).sub, me.sub);

    await idx.revoke(refreshed.refreshToken!, 'refresh_token');
    await assert.rejects(idx.refresh(refreshed.refreshToken!), hasCode('OAUTH_ERROR', (e) => e.error === 'invalid_grant'));
    await assert.rejects(idx.getUserInfo(refreshed.accessToken), hasCode('OAUTH_ERROR', (e) => e.error === 'invalid_token' && e.status === 401));
  });
}

test('identifier-first with a username only is PENDING at challenge-authenticator, and proceed with the password finishes', async () => {
  const idx = clientFor(identifierFirst);
  const r = await idx.authenticate({ username: email });
  assert.equal(r.status, 'PENDING');
  if (r.status !== 'PENDING') return;
  assert.equal(r.nextStep.name, 'challenge-authenticator');
  assert.deepEqual(r.nextStep.inputs.map((i) => [i.name, i.secret]), [['credentials.passcode', true]]);
  const done = await idx.proceed(r.transaction, { password });
  assert.equal(done.status, 'SUCCESS');
});

test('a public (spa) client signs in headless without a secret', async () => {
  const r = await clientFor(spa).authenticate({ username: email, password });
  assert.equal(r.status, 'SUCCESS');
});

test('the widget flow: handleCallback redeems the code with the verifier the app kept, and the nonce is checked', async () => {
  const idx = clientFor(web);
  const { context, widgetConfig } = idx.startInteraction();
  assert.equal(widgetConfig.codeChallenge, context.codeChallenge);
  const code = await widgetSignIn(idx, context);
  const tokens = await idx.handleCallback(context, { state: context.state, interaction_code: code });
  assert.equal(tokens.claims.nonce, context.nonce);
  assert.equal((await idx.getUserInfo(tokens.accessToken)).email, email);

  const logout = new URL(idx.logoutUrl({ idToken: tokens.idToken, postLogoutRedirectUri: 'http://localhost:3000/', state: 'bye' }));
  const res = await fetch(logout, { redirect: 'manual' });
  assert.equal(res.status, 302);
  assert.equal(res.headers.get('location'), 'http://localhost:3000/?state=bye');
});

test('an interaction code redeems once; the second attempt is OAUTH_ERROR invalid_grant', async () => {
  const idx = clientFor(web);
  const { context } = idx.startInteraction();
  const code = await widgetSignIn(idx, context);
  await idx.redeemInteractionCode(context, code);
  await assert.rejects(idx.redeemInteractionCode(context, code), hasCode('OAUTH_ERROR', (e) => e.error === 'invalid_grant' && e.status === 400 && !!e.error_description));
});

test('redeeming with another verifier is OAUTH_ERROR invalid_grant (PKCE)', async () => {
  const idx = clientFor(web);
  const { context } = idx.startInteraction();
  const code = await widgetSignIn(idx, context);
  const other = idx.startInteraction().context;
  await assert.rejects(idx.redeemInteractionCode({ ...context, codeVerifier: other.codeVerifier }, code), hasCode('OAUTH_ERROR', (e) => e.error === 'invalid_grant'));
});

test('redeemInteractionCode refuses the tokens when the ID token nonce is not the sign-in nonce', async () => {
  const idx = clientFor(web);
  const { context } = idx.startInteraction();
  const code = await widgetSignIn(idx, context);
  await assert.rejects(idx.redeemInteractionCode({ ...context, nonce: 'someone-elses-nonce' }, code), hasCode('TOKEN_INVALID'));
});

test('a wrong password is a refused PENDING step carrying errors.E0000004, and the same transaction then signs in, in both policies', async () => {
  for (const app of [web, identifierFirst]) {
    const idx = clientFor(app);
    const r = await idx.authenticate({ username: email, password: 'wrong-password-1' });
    assert.equal(r.status, 'PENDING');
    if (r.status !== 'PENDING') return;
    assert.equal(r.refused, true);
    assert.ok(r.nextStep.messages.some((m) => m.i18n?.key === 'errors.E0000004' && m.class === 'ERROR'));
    assert.ok(r.nextStep.inputs.some((i) => i.name === 'credentials.passcode' && i.secret));
    const again = await idx.proceed(r.transaction, { username: email, password });
    assert.equal(again.status, 'SUCCESS');
    if (again.status === 'SUCCESS') assert.equal((await idx.getUserInfo(again.tokens.accessToken)).email, email);
  }
});

test('an unknown user is refused exactly as a wrong password is', async () => {
  const unknown = await clientFor(web).authenticate({ username: 'nobody-here@example.com', password: 'wrong-password-1' });
  const wrong = await clientFor(web).authenticate({ username: email, password: 'wrong-password-1' });
  assert.ok(unknown.status === 'PENDING' && wrong.status === 'PENDING');
  if (unknown.status !== 'PENDING' || wrong.status !== 'PENDING') return;
  assert.deepEqual({ ...unknown.nextStep, refused: unknown.refused }, { ...wrong.nextStep, refused: wrong.refused });
});

test('an expired transaction is IDX_ERROR idx.session.expired', async () => {
  const idx = clientFor(identifierFirst);
  const r = await idx.authenticate({ username: email });
  assert.equal(r.status, 'PENDING');
  if (r.status !== 'PENDING') return;
  gh.clock.advance(2 * 60 * 60 * 1000);
  try {
    await assert.rejects(idx.proceed(r.transaction, { password }), hasCode('IDX_ERROR', (e) => e.messages?.some((m) => m.i18n?.key === 'idx.session.expired') === true));
  } finally {
    gh.clock.advance(-2 * 60 * 60 * 1000);
  }
});

test('a wrong client secret is OAUTH_ERROR invalid_client', async () => {
  const idx = clientFor({ clientId: web.clientId, clientSecret: 'not-the-secret' });
  const { context } = idx.startInteraction();
  const code = await widgetSignIn(clientFor(web), context);
  await assert.rejects(idx.redeemInteractionCode(context, code), hasCode('OAUTH_ERROR', (e) => e.error === 'invalid_client'));
});

test('a server that is not listening is NETWORK_ERROR with the cause', async () => {
  const port = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
  const idx = new IdxClient({ issuer: `http://127.0.0.1:${port}/oauth2/default`, clientId: 'x', redirectUri, scopes });
  await assert.rejects(idx.authenticate({ username: email, password }), hasCode('NETWORK_ERROR', (e) => e.cause instanceof Error));
  await assert.rejects(idx.getUserInfo('token'), hasCode('NETWORK_ERROR'));
  await assert.rejects(idx.verifyIdToken('a.b.c'), hasCode('NETWORK_ERROR'));
});

test('forged ID tokens are refused: wrong nonce, wrong audience, a signature by another key', async () => {
  const idx = clientFor(web);
  const { context } = idx.startInteraction();
  const real = await idx.redeemInteractionCode(context, await widgetSignIn(idx, context));
  await idx.verifyIdToken(real.idToken, { nonce: context.nonce });

  await assert.rejects(idx.verifyIdToken(real.idToken, { nonce: 'another-nonce' }), hasCode('TOKEN_INVALID'));
  // A genuine token of this issuer, presented to a different client: wrong aud.
  await assert.rejects(clientFor(spa).verifyIdToken(real.idToken), hasCode('TOKEN_INVALID'));

  const { privateKey } = await generateKeyPair('RS256');
  const header = JSON.parse(Buffer.from(real.idToken.split('.')[0]!, 'base64url').toString());
  const forge = (claims: Record<string, unknown>, kid = header.kid) =>
    new SignJWT({ ...real.claims, ...claims }).setProtectedHeader({ alg: 'RS256', kid }).sign(privateKey);
  await assert.rejects(idx.verifyIdToken(await forge({}), { nonce: context.nonce }), hasCode('TOKEN_INVALID'));
  await assert.rejects(idx.verifyIdToken(await forge({}, 'unknown-kid'), { nonce: context.nonce }), hasCode('TOKEN_INVALID'));
  await assert.rejects(idx.verifyIdToken(await forge({ aud: 'someone-else' })), hasCode('TOKEN_INVALID'));
  const none = `${Buffer.from(JSON.stringify({ alg: 'none', kid: header.kid })).toString('base64url')}.${real.idToken.split('.')[1]}.`;
  await assert.rejects(idx.verifyIdToken(none), hasCode('TOKEN_INVALID'));
});

test('the org authorization server (issuer = the domain) signs in headless through {issuer}/oauth2/v1', async () => {
  const idx = new IdxClient({ issuer: gh.baseUrl, clientId: web.clientId, clientSecret: web.clientSecret, redirectUri, scopes });
  assert.equal(idx.endpoints.token, `${gh.baseUrl}/oauth2/v1/token`);
  const r = await idx.authenticate({ username: email, password });
  assert.equal(r.status, 'SUCCESS');
  if (r.status === 'SUCCESS') assert.equal(r.tokens.claims.iss, gh.baseUrl);
});

test('a discovery document naming another issuer is CONFIG_ERROR, so tokens are never checked against it', async () => {
  const base = new URL(gh.baseUrl);
  const otherHost = base.hostname === 'localhost' ? '127.0.0.1' : 'localhost';
  const issuer = `${base.protocol}//${otherHost}:${base.port}/oauth2/default`;
  const idx = new IdxClient({ issuer, clientId: web.clientId, clientSecret: web.clientSecret, redirectUri, scopes });
  await assert.rejects(idx.verifyIdToken('a.b.c'), hasCode('CONFIG_ERROR'));
});
