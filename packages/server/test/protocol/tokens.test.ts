// Token shapes (Okta's claims), userinfo's refusals with the right WWW-Authenticate, revocation and
// introspection rules, and forged tokens refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { SignJWT, generateKeyPair } from 'jose';
import { startServer, type TestServer } from '../support/start-server.js';
import { signIn } from '../support/sign-in.js';
import { token } from '../support/idx-client.js';

let gh: TestServer;
const redirectUri = 'http://localhost:3000/cb';
const password = 'a-long-password-1';
let web: { clientId: string; clientSecret?: string };
let other: { clientId: string; clientSecret?: string };
let user: { id: string };

before(async () => {
  gh = await startServer();
  user = await gh.createUser({ email: 'tok@example.com', password, firstName: 'Tok', lastName: 'En' });
  web = await gh.createApp({ name: 'web', redirectUris: [redirectUri] });
  other = await gh.createApp({ name: 'other', redirectUris: [redirectUri] });
});
after(() => gh.close());

const decode = (jwt: string, part = 1) => JSON.parse(Buffer.from(jwt.split('.')[part]!, 'base64url').toString());
const fresh = (scope = 'openid profile email offline_access') => signIn(gh, { ...web, redirectUri, username: 'tok@example.com', password, scope });
const userinfo = (headers: Record<string, string>, url = `${gh.issuer}/v1/userinfo`) => fetch(url, { headers });
const basic = (a: { clientId: string; clientSecret?: string }) => ({ authorization: 'Basic ' + Buffer.from(`${a.clientId}:${a.clientSecret}`).toString('base64') });
const form = (url: string, body: Record<string, string>, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(body) });

test('access and ID tokens have Okta’s shape', async () => {
  const t = await fresh();
  const at = decode(t.access_token);
  const header = decode(t.access_token, 0);
  assert.equal(header.alg, 'RS256');
  assert.ok(header.kid);
  assert.equal(at.ver, 1);
  assert.match(at.jti, /^AT\./);
  assert.equal(at.iss, gh.issuer);
  assert.equal(at.aud, 'api://default');
  assert.equal(at.cid, web.clientId);
  assert.equal(at.uid, user.id);
  assert.deepEqual(at.scp, ['openid', 'profile', 'email', 'offline_access']);
  assert.equal(at.sub, 'tok@example.com');
  assert.equal(at.exp - at.iat, 3600);
  const id = decode(t.id_token);
  assert.equal(id.sub, user.id);
  assert.equal(id.name, 'Tok En');
  assert.equal(id.email, 'tok@example.com');
  assert.equal(id.preferred_username, 'tok@example.com');
  assert.equal(id.aud, web.clientId);
  assert.deepEqual(id.amr, ['pwd']);
  assert.match(id.idp, /^00o/);
  assert.equal(typeof id.auth_time, 'number');
  assert.match(id.jti, /^ID\./);
  assert.equal(id.at_hash, createHash('sha256').update(t.access_token).digest().subarray(0, 16).toString('base64url'));
});

test('userinfo answers GET and POST (form body) with claims per scope', async () => {
  const t = await fresh('openid email');
  const g = await (await userinfo({ authorization: `Bearer ${t.access_token}` })).json();
  assert.deepEqual(g, { sub: user.id, email: 'tok@example.com', email_verified: true });
  const p = await form(`${gh.issuer}/v1/userinfo`, { access_token: t.access_token });
  assert.equal(p.status, 200);
});

test('userinfo refuses no token, malformed, expired, revoked, forged and query-string tokens with the right WWW-Authenticate', async () => {
  const t = await fresh();
  const none = await userinfo({});
  assert.equal(none.status, 401);
  assert.equal(none.headers.get('www-authenticate'), 'Bearer realm="gatehouse"');
  const bad = await userinfo({ authorization: 'Bearer not-a-jwt' });
  assert.equal(bad.status, 401);
  assert.match(bad.headers.get('www-authenticate')!, /error="invalid_token"/);
  const q = await userinfo({}, `${gh.issuer}/v1/userinfo?access_token=${t.access_token}`);
  assert.equal(q.status, 400);
  gh.clock.advance(3600_000 + 120_000);
  try {
    assert.equal((await userinfo({ authorization: `Bearer ${t.access_token}` })).status, 401);
  } finally {
    gh.clock.advance(-(3600_000 + 120_000));
  }
  const h = decode(t.access_token, 0);
  const claims = decode(t.access_token);
  const { privateKey } = await generateKeyPair('RS256');
  const forged = [
    `${Buffer.from(JSON.stringify({ alg: 'none', kid: h.kid })).toString('base64url')}.${t.access_token.split('.')[1]}.`,
    await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'unknown-kid' }).sign(privateKey),
    await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: h.kid }).sign(privateKey),
    await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: h.kid, jku: 'http://evil.example/jwks' } as any).sign(privateKey),
    await new SignJWT({ ...claims, iss: 'https://evil.example' }).setProtectedHeader({ alg: 'RS256', kid: h.kid }).sign(privateKey),
  ];
  // HS256 keyed with the server's public key bytes (the classic algorithm confusion).
  const jwks = await (await fetch(`${gh.issuer}/v1/keys`)).text();
  const hsInput = `${Buffer.from(JSON.stringify({ alg: 'HS256', kid: h.kid })).toString('base64url')}.${t.access_token.split('.')[1]}`;
  forged.push(`${hsInput}.${createHmac('sha256', jwks).update(hsInput).digest('base64url')}`);
  for (const f of forged) {
    const r = await userinfo({ authorization: `Bearer ${f}` });
    assert.equal(r.status, 401, f.slice(0, 40));
    assert.match(r.headers.get('www-authenticate')!, /error="invalid_token"/);
  }
  // A token for another audience (the org server's) is refused by the default server.
  const org = await fetch(`${gh.baseUrl}/oauth2/v1/userinfo`, { headers: { authorization: `Bearer ${t.access_token}` } });
  assert.equal(org.status, 401);
  await form(`${gh.issuer}/v1/revoke`, { token: t.access_token }, basic(web));
  assert.equal((await userinfo({ authorization: `Bearer ${t.access_token}` })).status, 401);
});

test('revocation: an unknown token is 200; another client’s token is not revoked; a refresh token takes its access tokens with it', async () => {
  assert.equal((await form(`${gh.issuer}/v1/revoke`, { token: 'nothing-like-a-token' }, basic(web))).status, 200);
  const t = await fresh();
  assert.equal((await form(`${gh.issuer}/v1/revoke`, { token: t.access_token }, basic(other))).status, 200);
  assert.equal((await userinfo({ authorization: `Bearer ${t.access_token}` })).status, 200, 'still valid');
  await form(`${gh.issuer}/v1/revoke`, { token: t.refresh_token!, token_type_hint: 'refresh_token' }, basic(web));
  assert.equal((await userinfo({ authorization: `Bearer ${t.access_token}` })).status, 401);
  const intro = await (await form(`${gh.issuer}/v1/introspect`, { token: t.access_token }, basic(web))).json();
  assert.deepEqual(intro, { active: false });
  const refreshed = await token(gh, { grant_type: 'refresh_token', refresh_token: t.refresh_token! }, web);
  assert.equal(refreshed.json.error, 'invalid_grant');
});

test('introspection needs client authentication and says only {"active": false} of dead tokens', async () => {
  const t = await fresh();
  const noAuth = await form(`${gh.issuer}/v1/introspect`, { token: t.access_token });
  assert.equal(noAuth.status, 401);
  assert.equal((await noAuth.json()).error, 'invalid_client');
  for (const dead of ['garbage', t.access_token.slice(0, -4) + 'AAAA']) {
    assert.deepEqual(await (await form(`${gh.issuer}/v1/introspect`, { token: dead }, basic(web))).json(), { active: false });
  }
  const live = await (await form(`${gh.issuer}/v1/introspect`, { token: t.access_token }, basic(web))).json();
  assert.equal(live.active, true);
  assert.equal(live.sub, 'tok@example.com');
});
