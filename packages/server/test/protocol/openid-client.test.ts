// openid-client v6 drives discovery, client_credentials (Basic, post and private_key_jwt), refresh,
// introspection and revocation against Gatehouse.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as oidc from 'openid-client';
import { exportJWK, generateKeyPair } from 'jose';
import { startServer, type TestServer } from '../support/start-server.js';
import { signIn } from '../support/sign-in.js';

let gh: TestServer;
const redirectUri = 'http://localhost:3000/cb';
const password = 'a-long-password-1';
let service: { clientId: string; clientSecret?: string };
let web: { clientId: string; clientSecret?: string };
const insecure = { execute: [oidc.allowInsecureRequests] };

before(async () => {
  gh = await startServer();
  await gh.createUser({ email: 'oc@example.com', password });
  service = await gh.createApp({ name: 'svc', type: 'service' });
  web = await gh.createApp({ name: 'web', redirectUris: [redirectUri] });
});
after(() => gh.close());

test('discovery works for the org server and the default server, through both well-known documents', async () => {
  const org = await oidc.discovery(new URL(gh.baseUrl), service.clientId, service.clientSecret, undefined, insecure);
  assert.equal(org.serverMetadata().issuer, gh.baseUrl);
  assert.equal(org.serverMetadata().token_endpoint, `${gh.baseUrl}/oauth2/v1/token`);
  const dflt = await oidc.discovery(new URL(gh.issuer), service.clientId, service.clientSecret, undefined, insecure);
  assert.equal(dflt.serverMetadata().issuer, gh.issuer);
  assert.deepEqual(dflt.serverMetadata().code_challenge_methods_supported, ['S256']);
  assert.ok(dflt.serverMetadata().grant_types_supported!.includes('interaction_code'));
  const rfc8414 = await (await fetch(`${gh.issuer}/.well-known/oauth-authorization-server`)).json();
  assert.equal(rfc8414.issuer, gh.issuer);
});

test('client_credentials with client_secret_basic and client_secret_post gives an access token whose sub is the client id', async () => {
  for (const auth of [oidc.ClientSecretBasic(service.clientSecret!), oidc.ClientSecretPost(service.clientSecret!)]) {
    const config = await oidc.discovery(new URL(gh.issuer), service.clientId, undefined, auth, insecure);
    const t = await oidc.clientCredentialsGrant(config);
    const claims = JSON.parse(Buffer.from(t.access_token.split('.')[1]!, 'base64url').toString());
    assert.equal(claims.sub, service.clientId);
    assert.equal(claims.cid, service.clientId);
    assert.equal(claims.aud, 'api://default');
    assert.equal(claims.uid, undefined);
  }
});

test('private_key_jwt authenticates a client; a replayed assertion is refused', async () => {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  const app = await gh.createApp({ name: 'pkjwt', type: 'service', authMethod: 'private_key_jwt', jwks: { keys: [jwk] } });
  const config = await oidc.discovery(new URL(gh.issuer), app.clientId, undefined, oidc.PrivateKeyJwt({ key: privateKey, kid: 'k1' }), insecure);
  const t = await oidc.clientCredentialsGrant(config);
  assert.ok(t.access_token);
  // Replay one assertion by hand.
  const { SignJWT } = await import('jose');
  const assertion = await new SignJWT({}).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setIssuer(app.clientId).setSubject(app.clientId)
    .setAudience(`${gh.issuer}/v1/token`).setJti('once').setIssuedAt().setExpirationTime('2m').sign(privateKey);
  const post = () => fetch(`${gh.issuer}/v1/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'client_credentials', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: assertion }) });
  assert.equal((await post()).status, 200);
  const replay = await post();
  assert.equal(replay.status, 401);
  assert.equal((await replay.json()).error, 'invalid_client');
});

test('refresh, introspection and revocation through openid-client', async () => {
  const tokens = await signIn(gh, { ...web, redirectUri, username: 'oc@example.com', password, scope: 'openid profile offline_access' });
  const config = await oidc.discovery(new URL(gh.issuer), web.clientId, web.clientSecret, undefined, insecure);
  const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
  assert.ok(refreshed.access_token);
  assert.notEqual(refreshed.refresh_token, tokens.refresh_token);
  const active = await oidc.tokenIntrospection(config, refreshed.access_token);
  assert.equal(active.active, true);
  assert.equal(active.username, 'oc@example.com');
  assert.equal(active.client_id, web.clientId);
  const rt = await oidc.tokenIntrospection(config, refreshed.refresh_token!);
  assert.equal(rt.active, true);
  await oidc.tokenRevocation(config, refreshed.refresh_token!);
  assert.deepEqual(await oidc.tokenIntrospection(config, refreshed.access_token), { active: false });
  assert.deepEqual(await oidc.tokenIntrospection(config, refreshed.refresh_token!), { active: false });
});
