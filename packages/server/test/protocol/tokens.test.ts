// Token shapes (Okta's claims), Cache-Control on token responses, userinfo and its refusals with the right
// WWW-Authenticate, forged tokens refused, and the revocation and introspection rules.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac, createPublicKey } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, jwtVerify, createLocalJWKSet } from 'jose';
import { startServer, type TestServer } from '../support/start-server.js';
import { signIn } from '../support/sign-in.js';
import { token } from '../support/idx-client.js';

let gh: TestServer;
const redirectUri = 'http://localhost:3000/cb';
const password = 'a-long-password-1';
let web: { clientId: string; clientSecret?: string };
let other: { clientId: string; clientSecret?: string };
let svc: { clientId: string; clientSecret?: string };
let user: { id: string };

before(async () => {
  gh = await startServer();
  user = await gh.createUser({ email: 'tok@example.com', password, firstName: 'Tok', lastName: 'En' });
  web = await gh.createApp({ name: 'web', redirectUris: [redirectUri] });
  other = await gh.createApp({ name: 'other', redirectUris: [redirectUri] });
  svc = await gh.createApp({ name: 'svc', type: 'service' });
});
after(() => gh.close());

const decode = (jwt: string, part = 1) => JSON.parse(Buffer.from(jwt.split('.')[part]!, 'base64url').toString());
const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const fresh = (scope = 'openid profile email offline_access', nonce?: string) =>
  signIn(gh, { ...web, redirectUri, username: 'tok@example.com', password, scope, ...(nonce ? { nonce } : {}) });
const userinfo = (headers: Record<string, string>, url = `${gh.issuer}/v1/userinfo`) => fetch(url, { headers });
const bearer = (t: string) => userinfo({ authorization: `Bearer ${t}` });
const basic = (a: { clientId: string; clientSecret?: string }) => ({ authorization: 'Basic ' + Buffer.from(`${a.clientId}:${a.clientSecret}`).toString('base64') });
const form = (url: string, body: Record<string, string>, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(body) });
const revoke = (t: string, as = web, hint?: string) => form(`${gh.issuer}/v1/revoke`, { token: t, ...(hint ? { token_type_hint: hint } : {}) }, basic(as));
const introspectText = async (t: string, as = web) => (await form(`${gh.issuer}/v1/introspect`, { token: t }, basic(as))).text();

/** Signs `claims` with the server's own active key, as only the server could: proves iss/aud/exp/nbf checks. */
const signWithOurKey = (claims: Record<string, unknown>) =>
  new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: gh.gatehouse.deps.keys.activeKid(), typ: 'JWT' }).sign(gh.gatehouse.deps.keys.activePrivateKey());

function assertInvalidTokenChallenge(r: Response, label: string) {
  assert.equal(r.status, 401, label);
  const challenge = r.headers.get('www-authenticate') ?? '';
  assert.match(challenge, /^Bearer realm="gatehouse", error="invalid_token", error_description="[^"]+"$/, label);
}

test('access and ID tokens have Okta’s shape, and the ID token echoes the nonce and hashes the access token', async () => {
  const nonce = 'n-' + 'x'.repeat(20);
  const t0 = Math.floor(gh.clock.now() / 1000);
  const t = await fresh('openid profile email offline_access', nonce);
  const t1 = Math.floor(gh.clock.now() / 1000);
  assert.equal(t.token_type, 'Bearer');
  assert.equal(t.expires_in, 3600);
  assert.equal(t.scope, 'openid profile email offline_access');
  const header = decode(t.access_token, 0);
  assert.equal(header.alg, 'RS256');
  assert.equal(header.kid, gh.gatehouse.deps.keys.activeKid());
  const at = decode(t.access_token);
  assert.deepEqual(Object.keys(at).sort(), ['aud', 'auth_time', 'cid', 'exp', 'iat', 'iss', 'jti', 'scp', 'sub', 'uid', 'ver']);
  assert.equal(at.ver, 1);
  assert.match(at.jti, /^AT\./);
  assert.equal(at.iss, gh.issuer);
  assert.equal(at.aud, 'api://default');
  assert.equal(at.cid, web.clientId);
  assert.equal(at.uid, user.id);
  assert.deepEqual(at.scp, ['openid', 'profile', 'email', 'offline_access']);
  assert.equal(at.sub, 'tok@example.com');
  assert.ok(Number.isInteger(at.iat) && at.iat >= t0 && at.iat <= t1, 'iat is the issuing moment, in seconds');
  assert.equal(at.exp - at.iat, 3600);

  const jwks = createLocalJWKSet(await (await fetch(`${gh.issuer}/v1/keys`)).json());
  const { payload: id, protectedHeader } = await jwtVerify(t.id_token, jwks, { issuer: gh.issuer, audience: web.clientId, algorithms: ['RS256'] });
  assert.equal(protectedHeader.kid, header.kid);
  assert.equal(id.sub, user.id);
  assert.equal(id.ver, 1);
  assert.equal(id.name, 'Tok En');
  assert.equal(id.email, 'tok@example.com');
  assert.equal(id.preferred_username, 'tok@example.com');
  assert.deepEqual(id.amr, ['pwd']);
  assert.match(String(id.idp), /^00o/);
  assert.equal(typeof id.auth_time, 'number');
  assert.ok((id.auth_time as number) <= (id.iat as number));
  assert.match(String(id.jti), /^ID\./);
  assert.equal(id.nonce, nonce);
  assert.equal(id.at_hash, createHash('sha256').update(t.access_token).digest().subarray(0, 16).toString('base64url'));
});

test('a client_credentials access token has sub = client id, no uid, and the requested scope as an array', async () => {
  const r = await token(gh, { grant_type: 'client_credentials' }, svc);
  assert.equal(r.status, 200);
  assert.equal(r.json.id_token, undefined);
  assert.equal(r.json.refresh_token, undefined);
  const at = decode(r.json.access_token);
  assert.equal(at.sub, svc.clientId);
  assert.equal(at.cid, svc.clientId);
  assert.equal(at.uid, undefined);
  assert.equal(at.aud, 'api://default');
  assert.ok(Array.isArray(at.scp));
});

test('every token response carries Cache-Control: no-store and Pragma: no-cache', async () => {
  const cc = await token(gh, { grant_type: 'client_credentials' }, svc);
  const t = await fresh();
  const rt = await token(gh, { grant_type: 'refresh_token', refresh_token: t.refresh_token! }, web);
  for (const [label, r] of [['client_credentials', cc], ['refresh_token', rt]] as const) {
    assert.equal(r.status, 200, label);
    assert.equal(r.headers.get('cache-control'), 'no-store', label);
    assert.equal(r.headers.get('pragma'), 'no-cache', label);
  }
  // The interaction_code redemption inside signIn goes through the same path; check it by hand once.
  const { signInForCode } = await import('../support/idx-client.js');
  const s = await signInForCode(gh, { clientId: web.clientId, redirectUri, username: 'tok@example.com', password });
  const ic = await token(gh, { grant_type: 'interaction_code', interaction_code: s.code, code_verifier: s.verifier }, web);
  assert.equal(ic.status, 200);
  assert.equal(ic.headers.get('cache-control'), 'no-store');
});

test('userinfo answers GET and POST (form body) with claims per scope; its sub is the ID token’s sub', async () => {
  const t = await fresh('openid email');
  const g = await bearer(t.access_token);
  assert.equal(g.status, 200);
  assert.equal(g.headers.get('cache-control'), 'no-store');
  const claims = await g.json();
  assert.deepEqual(claims, { sub: user.id, email: 'tok@example.com', email_verified: true });
  assert.equal(claims.sub, decode(t.id_token).sub);
  const p = await form(`${gh.issuer}/v1/userinfo`, { access_token: t.access_token });
  assert.equal(p.status, 200);
  assert.deepEqual(await p.json(), claims);
  const ph = await fetch(`${gh.issuer}/v1/userinfo`, { method: 'POST', headers: { authorization: `Bearer ${t.access_token}` } });
  assert.deepEqual(await ph.json(), claims);
  const profile = await (await bearer((await fresh('openid profile')).access_token)).json();
  assert.equal(profile.sub, user.id);
  assert.equal(profile.name, 'Tok En');
  assert.equal(profile.email, undefined, 'no email claims without the email scope');
});

test('userinfo with no token is 401 with a bare Bearer challenge', async () => {
  for (const r of [await userinfo({}), await fetch(`${gh.issuer}/v1/userinfo`, { method: 'POST' })]) {
    assert.equal(r.status, 401);
    assert.equal(r.headers.get('www-authenticate'), 'Bearer realm="gatehouse"');
    assert.equal((await r.json()).error, 'invalid_token');
  }
});

test('userinfo refuses malformed tokens and malformed Authorization headers with 401 invalid_token', async () => {
  for (const h of ['Bearer not-a-jwt', 'Bearer a.b.c', 'Bearer ', 'Basic dXNlcjpwYXNz', 'Bearer two tokens', 'bearer']) {
    assertInvalidTokenChallenge(await userinfo({ authorization: h }), h);
  }
});

test('userinfo refuses a token in the query string with 401 and a Bearer invalid_request challenge', async () => {
  const t = await fresh();
  const q = await userinfo({}, `${gh.issuer}/v1/userinfo?access_token=${t.access_token}`);
  assert.equal(q.status, 401);
  assert.match(q.headers.get('www-authenticate')!, /^Bearer realm="gatehouse", error="invalid_request", error_description="[^"]*query string[^"]*"$/);
  assert.equal((await q.json()).error, 'invalid_request');
  // Even together with a valid header, the query-string copy is refused (it has already leaked into logs).
  const both = await userinfo({ authorization: `Bearer ${t.access_token}` }, `${gh.issuer}/v1/userinfo?access_token=${t.access_token}`);
  assert.equal(both.status, 401);
});

test('userinfo refuses an expired access token (test clock past exp and the skew) with 401 invalid_token', async () => {
  const t = await fresh();
  assert.equal((await bearer(t.access_token)).status, 200);
  gh.clock.advance(3600_000 + 61_000);
  try {
    assertInvalidTokenChallenge(await bearer(t.access_token), 'expired');
  } finally {
    gh.clock.advance(-(3600_000 + 61_000));
  }
});

test('userinfo refuses a revoked access token with 401 invalid_token', async () => {
  const t = await fresh();
  assert.equal((await revoke(t.access_token)).status, 200);
  assertInvalidTokenChallenge(await bearer(t.access_token), 'revoked');
});

test('userinfo refuses forged tokens: alg none, HS256 keyed with the public key, unknown kid, foreign key, wrong iss or aud, expired, future nbf', async () => {
  const t = await fresh();
  const h = decode(t.access_token, 0);
  const claims = decode(t.access_token);
  const body = t.access_token.split('.')[1]!;
  const { privateKey } = await generateKeyPair('RS256');
  const nowS = Math.floor(gh.clock.now() / 1000);
  const forged: [string, string][] = [
    ['alg none', `${b64({ alg: 'none', kid: h.kid })}.${body}.`],
    ['alg none, typ JWT, signature kept', `${b64({ alg: 'none', typ: 'JWT', kid: h.kid })}.${body}.${t.access_token.split('.')[2]}`],
    ['unknown kid', await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'unknown-kid' }).sign(privateKey)],
    ['no kid', await new SignJWT(claims).setProtectedHeader({ alg: 'RS256' }).sign(privateKey)],
    ['our kid, foreign key', await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: h.kid }).sign(privateKey)],
    ['our key, wrong iss', await signWithOurKey({ ...claims, iss: 'https://evil.example' })],
    ['our key, org server iss', await signWithOurKey({ ...claims, iss: gh.baseUrl })],
    ['our key, wrong aud', await signWithOurKey({ ...claims, aud: 'api://other' })],
    ['our key, expired beyond the skew', await signWithOurKey({ ...claims, iat: nowS - 7200, exp: nowS - 120 })],
    ['our key, nbf in the future beyond the skew', await signWithOurKey({ ...claims, nbf: nowS + 600 })],
    ['our key, no exp', await signWithOurKey({ ...claims, exp: undefined })],
    ['payload tampered', `${t.access_token.split('.')[0]}.${b64({ ...claims, uid: 'someone-else' })}.${t.access_token.split('.')[2]}`],
  ];
  // HS256 keyed with the server's public key, in every serialisation an attacker might try (algorithm confusion).
  const jwk = (await (await fetch(`${gh.issuer}/v1/keys`)).json()).keys.find((k: any) => k.kid === h.kid);
  const pub = createPublicKey({ key: jwk, format: 'jwk' });
  const hsKeys: [string, string | Buffer][] = [
    ['PEM', pub.export({ type: 'spki', format: 'pem' }) as string],
    ['PKCS#1 PEM', pub.export({ type: 'pkcs1', format: 'pem' }) as string],
    ['DER', pub.export({ type: 'spki', format: 'der' })],
    ['JWK JSON', JSON.stringify(jwk)],
    ['JWKS text', await (await fetch(`${gh.issuer}/v1/keys`)).text()],
    ['modulus', Buffer.from(jwk.n, 'base64url')],
  ];
  for (const [label, key] of hsKeys) {
    const input = `${b64({ alg: 'HS256', typ: 'JWT', kid: h.kid })}.${body}`;
    forged.push([`HS256 keyed with the public key (${label})`, `${input}.${createHmac('sha256', key).update(input).digest('base64url')}`]);
  }
  for (const [label, f] of forged) assertInvalidTokenChallenge(await bearer(f), label);
  // Sanity: the real token still works, so the refusals above are about the forgery.
  assert.equal((await bearer(t.access_token)).status, 200);
});

test('a token whose jku, x5u or jwk header points at an attacker’s key is refused, and the key is never fetched', async () => {
  const t = await fresh();
  const claims = decode(t.access_token);
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const attackerJwk = { ...(await exportJWK(publicKey)), kid: 'evil', alg: 'RS256', use: 'sig' };
  let fetched = 0;
  const evil: Server = createServer((_req, res) => { fetched++; res.writeHead(200, { 'content-type': 'application/json' }); res.end(JSON.stringify({ keys: [attackerJwk] })); });
  await new Promise<void>((r) => evil.listen(0, '127.0.0.1', r));
  try {
    const jku = `http://127.0.0.1:${(evil.address() as AddressInfo).port}/jwks`;
    const forged: [string, string][] = [
      ['jku', await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'evil', jku }).sign(privateKey)],
      ['jku with our kid', await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: decode(t.access_token, 0).kid, jku }).sign(privateKey)],
      ['x5u', await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'evil', x5u: jku }).sign(privateKey)],
      ['embedded jwk', await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'evil', jwk: attackerJwk }).sign(privateKey)],
    ];
    for (const [label, f] of forged) {
      assertInvalidTokenChallenge(await bearer(f), label);
      assert.equal(await introspectText(f), '{"active":false}', label);
    }
    assert.equal(fetched, 0, 'the server never fetched the attacker’s key set');
  } finally {
    await new Promise((r) => evil.close(r));
  }
});

test('an access token of the default server is refused by the org server, and the other way round', async () => {
  const t = await fresh();
  assertInvalidTokenChallenge(await fetch(`${gh.baseUrl}/oauth2/v1/userinfo`, { headers: { authorization: `Bearer ${t.access_token}` } }), 'default token at org');
  const orgToken = (await (await fetch(`${gh.baseUrl}/oauth2/v1/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...basic(svc) }, body: 'grant_type=client_credentials' })).json()).access_token;
  assert.equal(decode(orgToken).iss, gh.baseUrl);
  assertInvalidTokenChallenge(await bearer(orgToken), 'org token at default');
});

test('revoking an unknown token is 200 and changes nothing', async () => {
  const t = await fresh();
  for (const junk of ['nothing-like-a-token', 'a.b.c', 'x'.repeat(9000)]) {
    const r = await revoke(junk);
    assert.equal(r.status, 200, junk.slice(0, 20));
    assert.equal(r.headers.get('cache-control'), 'no-store');
  }
  assert.equal((await bearer(t.access_token)).status, 200);
});

test('another client cannot revoke a token it does not own: the revocation answers 200 and the token stays valid', async () => {
  const t = await fresh();
  assert.equal((await revoke(t.access_token, other)).status, 200);
  assert.equal((await revoke(t.refresh_token!, other, 'refresh_token')).status, 200);
  assert.equal((await bearer(t.access_token)).status, 200, 'the access token is still valid');
  assert.equal(JSON.parse(await introspectText(t.refresh_token!)).active, true, 'the refresh token is still valid');
  assert.equal((await token(gh, { grant_type: 'refresh_token', refresh_token: t.refresh_token! }, web)).status, 200);
});

test('revoking a refresh token kills every access token minted from it, and the refresh token itself', async () => {
  const t = await fresh();
  const r1 = await token(gh, { grant_type: 'refresh_token', refresh_token: t.refresh_token! }, web);
  assert.equal(r1.status, 200);
  const newest = r1.json.refresh_token as string;
  assert.equal((await bearer(t.access_token)).status, 200);
  assert.equal((await bearer(r1.json.access_token)).status, 200);
  assert.equal((await revoke(newest, web, 'refresh_token')).status, 200);
  for (const at of [t.access_token, r1.json.access_token]) {
    assertInvalidTokenChallenge(await bearer(at), 'access token of a revoked grant');
    assert.equal(await introspectText(at), '{"active":false}');
  }
  assert.equal(await introspectText(newest), '{"active":false}');
  assert.equal((await token(gh, { grant_type: 'refresh_token', refresh_token: newest }, web)).json.error, 'invalid_grant');
});

test('revoking a refresh token without a hint, or with the wrong hint, still revokes it', async () => {
  for (const hint of [undefined, 'access_token']) {
    const t = await fresh();
    assert.equal((await revoke(t.refresh_token!, web, hint)).status, 200);
    assert.equal((await bearer(t.access_token)).status, 401, String(hint));
  }
});

test('revocation and introspection without client authentication are 401 invalid_client', async () => {
  const t = await fresh();
  for (const path of ['/v1/introspect', '/v1/revoke']) {
    for (const headers of [{}, basic({ clientId: web.clientId, clientSecret: 'wrong' })]) {
      const r = await form(`${gh.issuer}${path}`, { token: t.access_token }, headers);
      assert.equal(r.status, 401, path);
      assert.equal((await r.json()).error, 'invalid_client', path);
    }
  }
  assert.equal((await bearer(t.access_token)).status, 200, 'the unauthenticated revocation did nothing');
});

test('introspection of a live token says who and what; of any dead token exactly {"active":false}', async () => {
  const live = await fresh();
  const info = JSON.parse(await introspectText(live.access_token));
  assert.equal(info.active, true);
  assert.equal(info.sub, 'tok@example.com');
  assert.equal(info.client_id, web.clientId);
  assert.equal(info.token_type, 'Bearer');
  assert.equal(info.scope, 'openid profile email offline_access');

  const revokedAt = await fresh();
  await revoke(revokedAt.access_token);
  const revokedRt = await fresh();
  await revoke(revokedRt.refresh_token!, web, 'refresh_token');
  const rotated = await fresh();
  await token(gh, { grant_type: 'refresh_token', refresh_token: rotated.refresh_token! }, web);
  const expired = await fresh();
  const forged = await new SignJWT(decode(live.access_token)).setProtectedHeader({ alg: 'RS256', kid: 'x' }).sign((await generateKeyPair('RS256')).privateKey);
  const dead: [string, string][] = [
    ['garbage', 'garbage'],
    ['tampered signature', live.access_token.slice(0, -4) + 'AAAA'],
    ['forged', forged],
    ['revoked access token', revokedAt.access_token],
    ['access token of a revoked refresh token', revokedRt.access_token],
    ['revoked refresh token', revokedRt.refresh_token!],
    ['rotated refresh token', rotated.refresh_token!],
    ['an ID token', live.id_token],
    ['too long', 'x'.repeat(9000)],
  ];
  for (const [label, t] of dead) assert.equal(await introspectText(t), '{"active":false}', label);
  gh.clock.advance(3600_000 + 61_000);
  try {
    assert.equal(await introspectText(expired.access_token), '{"active":false}', 'expired access token');
  } finally {
    gh.clock.advance(-(3600_000 + 61_000));
  }
  // A refresh token belongs to its client: another client introspecting it learns nothing.
  assert.equal(await introspectText(live.refresh_token!, other), '{"active":false}', "another client's refresh token");
});
