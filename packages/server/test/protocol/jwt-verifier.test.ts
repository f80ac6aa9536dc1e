// @okta/jwt-verifier, Okta's resource-server library, verifies Gatehouse access tokens for api://default (and ID
// tokens) with nothing but the issuer: it derives {issuer}/v1/keys itself and needs `kid`, RS256, iss and aud
// exactly as Okta issues them. Its HTTPS check is off only because the test server listens on loopback http.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import OktaJwtVerifier from '@okta/jwt-verifier';
import { SignJWT } from 'jose';
import { cliFor } from '../support/cli.js';
import { startServer, type TestServer } from '../support/start-server.js';
import { signIn } from '../support/sign-in.js';
import { token } from '../support/idx-client.js';

let gh: TestServer;
let web: { clientId: string; clientSecret?: string };
let svc: { clientId: string; clientSecret?: string };
const redirectUri = 'http://localhost:3000/cb';
const password = 'a-long-password-1';

before(async () => {
  gh = await startServer();
  await gh.createUser({ email: 'jv@example.com', password });
  web = await gh.createApp({ name: 'web', redirectUris: [redirectUri] });
  svc = await gh.createApp({ name: 'svc', type: 'service' });
});
after(() => gh.close());

const verifierFor = (issuer: string, assertClaims?: Record<string, unknown>, jwksUri?: string) =>
  new OktaJwtVerifier({ issuer, ...(assertClaims ? { assertClaims } : {}), ...(jwksUri ? { jwksUri } : {}), testing: { disableHttpsCheck: true } } as ConstructorParameters<typeof OktaJwtVerifier>[0]);
const user = (scope = 'openid profile', nonce?: string) => signIn(gh, { ...web, redirectUri, username: 'jv@example.com', password, scope, ...(nonce ? { nonce } : {}) });
const cc = async () => (await token(gh, { grant_type: 'client_credentials' }, svc)).json.access_token as string;

test('@okta/jwt-verifier verifies a user access token for api://default, with Okta’s claims', async () => {
  const t = await user();
  const jwt = await verifierFor(gh.issuer).verifyAccessToken(t.access_token, 'api://default');
  assert.equal(jwt.claims.sub, 'jv@example.com');
  assert.equal(jwt.claims.iss, gh.issuer);
  assert.equal(jwt.claims.cid, web.clientId);
  assert.deepEqual(jwt.claims.scp, ['openid', 'profile']);
  assert.equal(jwt.header.alg, 'RS256');
});

test('@okta/jwt-verifier verifies a client_credentials access token, with an audience list and asserted claims', async () => {
  const at = await cc();
  const jwt = await verifierFor(gh.issuer, { cid: svc.clientId }).verifyAccessToken(at, ['api://other', 'api://default']);
  assert.equal(jwt.claims.sub, svc.clientId);
  await assert.rejects(verifierFor(gh.issuer, { cid: web.clientId }).verifyAccessToken(at, 'api://default'), /cid/);
});

test('@okta/jwt-verifier refuses a Gatehouse token for another audience or another issuer', async () => {
  const t = await user();
  await assert.rejects(verifierFor(gh.issuer).verifyAccessToken(t.access_token, 'api://other'), /audience/);
  // The org server's issuer is another issuer, even though it publishes the same keys (at /oauth2/v1/keys, as
  // Okta's org server does, so the verifier is told where).
  await assert.rejects(verifierFor(gh.baseUrl, undefined, `${gh.baseUrl}/oauth2/v1/keys`).verifyAccessToken(t.access_token, 'api://default'), /issuer/);
});

test('@okta/jwt-verifier refuses an expired Gatehouse token and one with a foreign signature', async () => {
  const keys = gh.gatehouse.deps.keys;
  const claims = JSON.parse(Buffer.from((await cc()).split('.')[1]!, 'base64url').toString());
  const now = Math.floor(Date.now() / 1000);
  const expired = await new SignJWT({ ...claims, iat: now - 7200, exp: now - 3600 }).setProtectedHeader({ alg: 'RS256', kid: keys.activeKid() }).sign(keys.activePrivateKey());
  await assert.rejects(verifierFor(gh.issuer).verifyAccessToken(expired, 'api://default'), /expired/i);
  const [h, , sig] = (await cc()).split('.');
  const tampered = `${h}.${Buffer.from(JSON.stringify({ ...claims, sub: 'admin' })).toString('base64url')}.${sig}`;
  await assert.rejects(verifierFor(gh.issuer).verifyAccessToken(tampered, 'api://default'), /signature/i);
});

test('@okta/jwt-verifier verifies a Gatehouse ID token for the client id and the nonce', async () => {
  const nonce = 'jv-nonce-0123456789';
  const t = await user('openid profile email', nonce);
  const jwt = await verifierFor(gh.issuer).verifyIdToken(t.id_token, web.clientId, nonce);
  assert.equal(jwt.claims.email, 'jv@example.com');
  await assert.rejects(verifierFor(gh.issuer).verifyIdToken(t.id_token, web.clientId, 'another-nonce'), /nonce/);
  await assert.rejects(verifierFor(gh.issuer).verifyIdToken(t.id_token, svc.clientId, nonce), /audience|client/i);
});

test('after gatehouse keys rotate, one verifier instance accepts tokens signed by the old and the new key', async () => {
  const verifier = verifierFor(gh.issuer);
  const before = await cc();
  await verifier.verifyAccessToken(before, 'api://default');
  const r = await cliFor(gh)('keys', 'rotate');
  assert.equal(r.status, 0, r.stderr);
  await gh.gatehouse.deps.keys.refresh();
  const after = await cc();
  const kid = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[0]!, 'base64url').toString()).kid;
  assert.notEqual(kid(after), kid(before));
  await verifier.verifyAccessToken(after, 'api://default');
  await verifier.verifyAccessToken(before, 'api://default');
});
