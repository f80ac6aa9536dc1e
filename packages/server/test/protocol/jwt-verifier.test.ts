// @okta/jwt-verifier, Okta's resource-server library, verifies Gatehouse access tokens for api://default.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import OktaJwtVerifier from '@okta/jwt-verifier';
import { startServer, type TestServer } from '../support/start-server.js';
import { signIn } from '../support/sign-in.js';

let gh: TestServer;
before(async () => { gh = await startServer(); });
after(() => gh.close());

test('@okta/jwt-verifier verifies a user access token and a client_credentials token for api://default', async () => {
  await gh.createUser({ email: 'jv@example.com', password: 'a-long-password-1' });
  const web = await gh.createApp({ name: 'web', redirectUris: ['http://localhost:3000/cb'] });
  const svc = await gh.createApp({ name: 'svc', type: 'service' });
  const verifier = new OktaJwtVerifier({ issuer: gh.issuer, testing: { disableHttpsCheck: true } } as any);
  const t = await signIn(gh, { ...web, redirectUri: 'http://localhost:3000/cb', username: 'jv@example.com', password: 'a-long-password-1', scope: 'openid profile' });
  const jwt = await verifier.verifyAccessToken(t.access_token, 'api://default');
  assert.equal(jwt.claims.sub, 'jv@example.com');
  assert.deepEqual(jwt.claims.scp, ['openid', 'profile']);
  const cc = await (await fetch(`${gh.issuer}/v1/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'Basic ' + Buffer.from(`${svc.clientId}:${svc.clientSecret}`).toString('base64') }, body: 'grant_type=client_credentials' })).json();
  assert.equal((await verifier.verifyAccessToken(cc.access_token, 'api://default')).claims.sub, svc.clientId);
  await assert.rejects(verifier.verifyAccessToken(t.access_token, 'api://other'));
});
