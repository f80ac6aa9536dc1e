// openid-client v6, a certified OpenID relying party library, drives Gatehouse: discovery (OIDC and RFC 8414,
// org and default servers), client_credentials (client_secret_basic, client_secret_post, private_key_jwt),
// refresh, userinfo, introspection and revocation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as oidc from 'openid-client';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { startServer, type TestServer } from '../support/start-server.js';
import { signIn } from '../support/sign-in.js';

let gh: TestServer;
const redirectUri = 'http://localhost:3000/cb';
const password = 'a-long-password-1';
let service: { clientId: string; clientSecret?: string };
let web: { clientId: string; clientSecret?: string };
let user: { id: string };
const insecure = { execute: [oidc.allowInsecureRequests] };

before(async () => {
  gh = await startServer();
  user = await gh.createUser({ email: 'oc@example.com', password, firstName: 'Open', lastName: 'Id' });
  service = await gh.createApp({ name: 'svc', type: 'service' });
  web = await gh.createApp({ name: 'web', redirectUris: [redirectUri] });
});
after(() => gh.close());

const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString());

test('openid-client discovers the org server (issuer = base URL) and the default server through both well-known documents', async () => {
  const servers: [string, string][] = [[gh.baseUrl, `${gh.baseUrl}/oauth2/v1`], [gh.issuer, `${gh.issuer}/v1`]];
  for (const [issuer, endpoints] of servers) {
    for (const algorithm of ['oidc', 'oauth2'] as const) {
      const config = await oidc.discovery(new URL(issuer), service.clientId, service.clientSecret, undefined, { ...insecure, algorithm });
      const m = config.serverMetadata();
      const label = `${issuer} (${algorithm})`;
      assert.equal(m.issuer, issuer, label);
      assert.equal(m.token_endpoint, `${endpoints}/token`, label);
      assert.equal(m.jwks_uri, `${endpoints}/keys`, label);
      assert.equal(m.userinfo_endpoint, `${endpoints}/userinfo`, label);
      assert.equal(m.introspection_endpoint, `${endpoints}/introspect`, label);
      assert.equal(m.revocation_endpoint, `${endpoints}/revoke`, label);
      assert.equal(m.end_session_endpoint, `${endpoints}/logout`, label);
      assert.deepEqual(m.code_challenge_methods_supported, ['S256'], label);
      assert.ok(m.grant_types_supported!.includes('interaction_code'), label);
      assert.deepEqual(m.id_token_signing_alg_values_supported, ['RS256'], label);
      for (const method of ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none']) {
        assert.ok(m.token_endpoint_auth_methods_supported!.includes(method), `${label} ${method}`);
      }
    }
    // Okta's own URL shape for RFC 8414 metadata: {issuer}/.well-known/oauth-authorization-server.
    const okta = await oidc.discovery(new URL(`${issuer}/.well-known/oauth-authorization-server`), service.clientId, service.clientSecret, undefined, insecure);
    assert.equal(okta.serverMetadata().issuer, issuer);
  }
});

test('client_credentials with client_secret_basic and client_secret_post gives an access token whose sub is the client id', async () => {
  for (const [label, auth] of [['basic', oidc.ClientSecretBasic(service.clientSecret!)], ['post', oidc.ClientSecretPost(service.clientSecret!)]] as const) {
    const config = await oidc.discovery(new URL(gh.issuer), service.clientId, undefined, auth, insecure);
    const t = await oidc.clientCredentialsGrant(config);
    assert.equal(t.token_type, 'bearer', label);
    assert.equal(t.expires_in, 3600, label);
    const claims = claimsOf(t.access_token);
    assert.equal(claims.sub, service.clientId, label);
    assert.equal(claims.cid, service.clientId, label);
    assert.equal(claims.iss, gh.issuer, label);
    assert.equal(claims.aud, 'api://default', label);
    assert.equal(claims.uid, undefined, label);
  }
});

test('client_credentials with a wrong secret is refused in a shape openid-client understands', async () => {
  // With Basic, the 401 carries a Basic challenge, which openid-client reports as such.
  const viaBasic = await oidc.discovery(new URL(gh.issuer), service.clientId, undefined, oidc.ClientSecretBasic('wrong'), insecure);
  await assert.rejects(oidc.clientCredentialsGrant(viaBasic), (e: any) => {
    assert.equal(e.code, 'OAUTH_WWW_AUTHENTICATE_CHALLENGE');
    assert.equal(e.status, 401);
    assert.equal(e.cause[0].scheme, 'basic');
    return true;
  });
  // With client_secret_post, no challenge: the RFC 6749 body is what openid-client reports.
  const viaPost = await oidc.discovery(new URL(gh.issuer), service.clientId, undefined, oidc.ClientSecretPost('wrong'), insecure);
  await assert.rejects(oidc.clientCredentialsGrant(viaPost), (e: any) => {
    assert.equal(e.error, 'invalid_client');
    assert.equal(e.status, 401);
    return true;
  });
});

test('private_key_jwt authenticates a client registered with a JWK set; a foreign key is refused', async () => {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  const app = await gh.createApp({ name: 'pkjwt', type: 'service', authMethod: 'private_key_jwt', jwks: { keys: [jwk] } });
  assert.equal(app.clientSecret, undefined, 'a private_key_jwt app has no secret');
  const config = await oidc.discovery(new URL(gh.issuer), app.clientId, undefined, oidc.PrivateKeyJwt({ key: privateKey, kid: 'k1' }), insecure);
  const t = await oidc.clientCredentialsGrant(config);
  assert.equal(claimsOf(t.access_token).sub, app.clientId);
  // Twice in a row: openid-client makes a fresh assertion (new jti) each time, so both succeed.
  assert.ok((await oidc.clientCredentialsGrant(config)).access_token);

  const other = await generateKeyPair('RS256');
  const forged = await oidc.discovery(new URL(gh.issuer), app.clientId, undefined, oidc.PrivateKeyJwt({ key: other.privateKey, kid: 'k1' }), insecure);
  await assert.rejects(oidc.clientCredentialsGrant(forged), (e: any) => e.error === 'invalid_client');
});

test('a private_key_jwt client assertion is single-use: replayed, even 20 times at once, exactly one use succeeds', async () => {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  const app = await gh.createApp({ name: 'pkjwt-replay', type: 'service', authMethod: 'private_key_jwt', jwks: { keys: [jwk] } });
  const assertion = (jti: string, aud = `${gh.issuer}/v1/token`) => new SignJWT({}).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setIssuer(app.clientId).setSubject(app.clientId)
    .setAudience(aud).setJti(jti).setIssuedAt().setExpirationTime('2m').sign(privateKey);
  const post = async (a: string) => {
    const res = await fetch(`${gh.issuer}/v1/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'client_credentials', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: a }) });
    return { status: res.status, json: await res.json() };
  };
  const once = await assertion('once');
  assert.equal((await post(once)).status, 200);
  const replay = await post(once);
  assert.equal(replay.status, 401);
  assert.equal(replay.json.error, 'invalid_client');

  const raced = await assertion('raced');
  const rs = await Promise.all(Array.from({ length: 20 }, () => post(raced)));
  assert.equal(rs.filter((r) => r.status === 200).length, 1);
  assert.ok(rs.every((r) => r.status === 200 || r.json.error === 'invalid_client'));

  // An assertion for another audience is refused too.
  assert.equal((await post(await assertion('elsewhere', 'https://elsewhere.example/token'))).json.error, 'invalid_client');
});

test('openid-client refreshes a refresh token from an interaction-code sign-in, and reads userinfo', async () => {
  const tokens = await signIn(gh, { ...web, redirectUri, username: 'oc@example.com', password, scope: 'openid profile email offline_access' });
  assert.ok(tokens.refresh_token);
  const config = await oidc.discovery(new URL(gh.issuer), web.clientId, web.clientSecret, undefined, insecure);
  const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token);
  assert.ok(refreshed.access_token);
  assert.notEqual(refreshed.refresh_token, tokens.refresh_token);
  // openid-client validated the refreshed ID token (signature, iss, aud, exp, sub unchanged).
  assert.equal(refreshed.claims()!.sub, user.id);
  const info = await oidc.fetchUserInfo(config, refreshed.access_token, user.id);
  assert.equal(info.sub, user.id);
  assert.equal(info.email, 'oc@example.com');
  assert.equal(info.name, 'Open Id');
  // The rotated token is dead: openid-client surfaces invalid_grant.
  await assert.rejects(oidc.refreshTokenGrant(config, tokens.refresh_token), (e: any) => e.error === 'invalid_grant');
});

test('openid-client introspects live and dead tokens and revokes a refresh token, killing its access token', async () => {
  const tokens = await signIn(gh, { ...web, redirectUri, username: 'oc@example.com', password, scope: 'openid profile offline_access' });
  const config = await oidc.discovery(new URL(gh.issuer), web.clientId, web.clientSecret, undefined, insecure);
  const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
  const active = await oidc.tokenIntrospection(config, refreshed.access_token);
  assert.equal(active.active, true);
  assert.equal(active.username, 'oc@example.com');
  assert.equal(active.client_id, web.clientId);
  assert.equal(active.token_type, 'Bearer');
  assert.equal(active.iss, gh.issuer);
  const rt = await oidc.tokenIntrospection(config, refreshed.refresh_token!, { token_type_hint: 'refresh_token' });
  assert.equal(rt.active, true);
  await oidc.tokenRevocation(config, refreshed.refresh_token!, { token_type_hint: 'refresh_token' });
  assert.deepEqual(await oidc.tokenIntrospection(config, refreshed.access_token), { active: false });
  assert.deepEqual(await oidc.tokenIntrospection(config, refreshed.refresh_token!), { active: false });
  // Revoking an access token by itself, and revoking an unknown token, both succeed.
  const cc = await oidc.discovery(new URL(gh.issuer), service.clientId, service.clientSecret, undefined, insecure);
  const at = (await oidc.clientCredentialsGrant(cc)).access_token;
  await oidc.tokenRevocation(cc, at);
  assert.deepEqual(await oidc.tokenIntrospection(cc, at), { active: false });
  await oidc.tokenRevocation(cc, 'unknown-token');
});

test('openid-client works against the org server too: client_credentials and introspection with org issuer', async () => {
  const config = await oidc.discovery(new URL(gh.baseUrl), service.clientId, service.clientSecret, undefined, insecure);
  const t = await oidc.clientCredentialsGrant(config);
  assert.equal(claimsOf(t.access_token).iss, gh.baseUrl);
  const intro = await oidc.tokenIntrospection(config, t.access_token);
  assert.equal(intro.active, true);
  // The default server does not accept the org server's token.
  const dflt = await oidc.discovery(new URL(gh.issuer), service.clientId, service.clientSecret, undefined, insecure);
  assert.deepEqual(await oidc.tokenIntrospection(dflt, t.access_token), { active: false });
});
