// The real okta-auth-js (v8 and v7) signs a user in against Gatehouse with a password, in both sign-in
// policies; the tokens verify against the JWKS and userinfo agrees with the ID token.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { OktaAuth as OktaAuth8 } from 'okta-auth-js-8';
import { OktaAuth as OktaAuth7 } from 'okta-auth-js-7';
import { startServer, type TestServer } from '../support/start-server.js';

let gh: TestServer;
const password = 'correct-horse-battery';
const redirectUri = 'http://localhost:3000/interactioncode/callback';

before(async () => {
  gh = await startServer();
  await gh.createUser({ email: 'ada@example.com', password, firstName: 'Ada', lastName: 'Lovelace' });
});
after(() => gh.close());

async function app(signIn: 'password-first' | 'identifier-first') {
  return gh.createApp({ name: `app-${signIn}`, type: 'web', redirectUris: [redirectUri], signIn });
}

async function checkTokens(tokens: { accessToken?: { accessToken: string }; idToken?: { idToken: string } }, clientId: string) {
  const jwks = createRemoteJWKSet(new URL(gh.issuer + '/v1/keys'));
  const id = await jwtVerify(tokens.idToken!.idToken, jwks, { issuer: gh.issuer, audience: clientId, algorithms: ['RS256'] });
  const at = await jwtVerify(tokens.accessToken!.accessToken, jwks, { issuer: gh.issuer, audience: 'api://default', algorithms: ['RS256'] });
  assert.equal(at.payload.sub, 'ada@example.com');
  assert.equal(at.payload.cid, clientId);
  const res = await fetch(gh.issuer + '/v1/userinfo', { headers: { Authorization: `Bearer ${tokens.accessToken!.accessToken}` } });
  assert.equal(res.status, 200);
  const info = await res.json();
  assert.equal(info.sub, id.payload.sub);
  assert.equal(info.email, 'ada@example.com');
  assert.equal(info.name, 'Ada Lovelace');
}

for (const signIn of ['password-first', 'identifier-first'] as const) {
  test(`auth-js v8 idx.authenticate with step identify signs in (${signIn})`, async () => {
    const { clientId, clientSecret } = await app(signIn);
    const auth = new OktaAuth8({ issuer: gh.issuer, clientId, clientSecret, redirectUri, scopes: ['openid', 'profile', 'email'] });
    let tx = await auth.idx.authenticate({ username: 'ada@example.com', password, step: 'identify' } as any);
    if (tx.status === 'PENDING') {
      assert.equal(tx.nextStep?.name, 'challenge-authenticator');
      tx = await auth.idx.proceed({ step: 'challenge-authenticator', password } as any);
    }
    assert.equal(tx.status, 'SUCCESS', JSON.stringify(tx.messages));
    await checkTokens(tx.tokens as any, clientId);
  });

  test(`auth-js v8 idx.start then proceed signs in (${signIn})`, async () => {
    const { clientId, clientSecret } = await app(signIn);
    const auth = new OktaAuth8({ issuer: gh.issuer, clientId, clientSecret, redirectUri, scopes: ['openid', 'profile', 'email'] });
    const started = await auth.idx.start();
    assert.equal(started.status, 'PENDING');
    assert.equal(started.availableSteps?.[0]?.name, 'identify');
    let tx = await auth.idx.proceed(signIn === 'password-first' ? { step: 'identify', username: 'ada@example.com', password } as any : { step: 'identify', username: 'ada@example.com' } as any);
    if (tx.status === 'PENDING') tx = await auth.idx.proceed({ step: 'challenge-authenticator', password } as any);
    assert.equal(tx.status, 'SUCCESS', JSON.stringify(tx.messages));
    await checkTokens(tx.tokens as any, clientId);
  });

  test(`auth-js v7 idx.authenticate({ username, password }) signs in (${signIn})`, async () => {
    const { clientId, clientSecret } = await app(signIn);
    const auth = new OktaAuth7({ issuer: gh.issuer, clientId, clientSecret, redirectUri, scopes: ['openid', 'profile', 'email'] });
    const tx = await auth.idx.authenticate({ username: 'ada@example.com', password });
    assert.equal(tx.status, 'SUCCESS', JSON.stringify(tx.messages));
    await checkTokens(tx.tokens as any, clientId);
  });
}

test('auth-js v7 with a wrong password stays PENDING with errors.E0000004', async () => {
  const { clientId, clientSecret } = await app('password-first');
  const auth = new OktaAuth7({ issuer: gh.issuer, clientId, clientSecret, redirectUri, scopes: ['openid', 'email'] });
  const tx = await auth.idx.authenticate({ username: 'ada@example.com', password: 'wrong-password-here' });
  assert.equal(tx.status, 'PENDING');
  assert.equal(tx.requestDidSucceed, false);
  assert.equal(tx.messages?.[0]?.i18n?.key, 'errors.E0000004');
});
