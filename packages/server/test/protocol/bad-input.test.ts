// Bad input at the OAuth endpoints: RFC 6749 JSON errors with the exact code, 401 + WWW-Authenticate: Basic
// only when Basic was used, 413 for bodies over 64 KB, 400 for wrong content types and broken forms, 405 with
// Allow, a spoofed Host never changes the issuer, and never a 5xx.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { startServer, type TestServer } from '../support/start-server.js';
import { signInForCode } from '../support/idx-client.js';

let gh: TestServer;
let svc: { clientId: string; clientSecret?: string };
let web: { clientId: string; clientSecret?: string };
let spa: { clientId: string; clientSecret?: string };
const redirectUri = 'http://localhost:3000/cb';
const password = 'a-long-password-1';

before(async () => {
  gh = await startServer();
  await gh.createUser({ email: 'bad@example.com', password });
  svc = await gh.createApp({ name: 'svc', type: 'service' });
  web = await gh.createApp({ name: 'web', redirectUris: [redirectUri] });
  spa = await gh.createApp({ name: 'spa', type: 'spa', redirectUris: [redirectUri] });
});
after(() => gh.close());

const basic = (id: string, secret: string) => 'Basic ' + Buffer.from(`${id}:${secret}`).toString('base64');
async function post(path: string, body: string | Buffer, headers: Record<string, string> = {}, base = gh.issuer) {
  const res = await fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: typeof body === 'string' ? body : new Uint8Array(body) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: text ? JSON.parse(text) : undefined };
}

/** Raw node:http, for headers fetch will not let a test set (Host) and for streamed bodies. */
function raw(opts: { method?: string; path: string; headers?: Record<string, string>; chunks?: Buffer[] }) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
    const u = new URL(gh.baseUrl);
    const req = request({ host: u.hostname, port: u.port, method: opts.method ?? 'GET', path: opts.path, headers: opts.headers }, (res) => {
      let d = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (d += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: d }));
    });
    req.on('error', reject);
    for (const c of opts.chunks ?? []) req.write(c);
    req.end();
  });
}

function assertOAuthError(r: { status: number; headers: Headers; json: any }, status: number, error: string, label: string) {
  assert.equal(r.status, status, `${label}: ${JSON.stringify(r.json)}`);
  assert.equal(r.json.error, error, label);
  assert.equal(typeof r.json.error_description, 'string', label);
  assert.deepEqual(Object.keys(r.json).sort(), ['error', 'error_description'], label);
  assert.match(r.headers.get('content-type')!, /^application\/json/, label);
  assert.equal(r.headers.get('cache-control'), 'no-store', label);
}

test('each malformed token request gets its exact RFC 6749 error', async () => {
  const auth = { authorization: basic(svc.clientId, svc.clientSecret!) };
  const webAuth = { authorization: basic(web.clientId, web.clientSecret!) };
  const s = await signInForCode(gh, { clientId: web.clientId, redirectUri, username: 'bad@example.com', password });
  const cases: [string, string, Record<string, string>, number, string][] = [
    ['empty body', '', auth, 400, 'invalid_request'],
    ['no grant_type', 'scope=x', auth, 400, 'invalid_request'],
    ['empty grant_type', 'grant_type=', auth, 400, 'invalid_request'],
    ['grant_type as a bracketed array', 'grant_type[]=client_credentials', auth, 400, 'invalid_request'],
    ['repeated grant_type', 'grant_type=client_credentials&grant_type=client_credentials', auth, 400, 'invalid_request'],
    ['repeated scope', 'grant_type=client_credentials&scope=a&scope=b', auth, 400, 'invalid_request'],
    ['password grant', 'grant_type=password&username=a&password=b', auth, 400, 'unsupported_grant_type'],
    ['implicit', 'grant_type=implicit', auth, 400, 'unsupported_grant_type'],
    ['device code', 'grant_type=urn:ietf:params:oauth:grant-type:device_code', auth, 400, 'unsupported_grant_type'],
    ['user scope in client_credentials', 'grant_type=client_credentials&scope=openid', auth, 400, 'invalid_scope'],
    ['unknown scope', 'grant_type=client_credentials&scope=' + encodeURIComponent('no such scope'), auth, 400, 'invalid_scope'],
    ['malformed scope', 'grant_type=client_credentials&scope=%22quoted%22', auth, 400, 'invalid_scope'],
    ['scope too long', 'grant_type=client_credentials&scope=' + 'a'.repeat(2000), auth, 400, 'invalid_request'],
    ['grant not allowed for the app', 'grant_type=authorization_code&code=x&code_verifier=' + 'v'.repeat(43), auth, 400, 'unauthorized_client'],
    ['refresh_token for a service app', 'grant_type=refresh_token&refresh_token=unknown', auth, 400, 'unauthorized_client'],
    ['unknown refresh token', 'grant_type=refresh_token&refresh_token=unknown', webAuth, 400, 'invalid_grant'],
    ['unknown interaction code', 'grant_type=interaction_code&interaction_code=unknown&code_verifier=' + 'v'.repeat(43), webAuth, 400, 'invalid_grant'],
    ['unknown authorization code', `grant_type=authorization_code&code=unknown&redirect_uri=${encodeURIComponent(redirectUri)}&code_verifier=${'v'.repeat(43)}`, webAuth, 400, 'invalid_grant'],
    ['interaction code without interaction_code', 'grant_type=interaction_code&code_verifier=' + 'v'.repeat(43), webAuth, 400, 'invalid_request'],
    ['interaction code without verifier', `grant_type=interaction_code&interaction_code=${s.code}`, webAuth, 400, 'invalid_request'],
    ['interaction code with a wrong verifier', `grant_type=interaction_code&interaction_code=${s.code}&code_verifier=${'w'.repeat(43)}`, webAuth, 400, 'invalid_grant'],
    ['wrong secret (Basic)', 'grant_type=client_credentials', { authorization: basic(svc.clientId, 'wrong') }, 401, 'invalid_client'],
    ['unknown client (Basic)', 'grant_type=client_credentials', { authorization: basic('0oaNOBODY', 'x') }, 401, 'invalid_client'],
    ['Basic that is not base64', 'grant_type=client_credentials', { authorization: 'Basic !!!' }, 401, 'invalid_client'],
    ['Basic with broken percent-encoding', 'grant_type=client_credentials', { authorization: 'Basic ' + Buffer.from('%E0%A4%A:x').toString('base64') }, 401, 'invalid_client'],
    ['Bearer at the token endpoint', 'grant_type=client_credentials', { authorization: 'Bearer abc' }, 401, 'invalid_client'],
    ['confidential client without a secret', 'grant_type=client_credentials&client_id=' + svc.clientId, {}, 401, 'invalid_client'],
    ['wrong secret (post)', `grant_type=client_credentials&client_id=${svc.clientId}&client_secret=wrong`, {}, 401, 'invalid_client'],
    ['no client at all', 'grant_type=client_credentials', {}, 401, 'invalid_client'],
    ['garbage client assertion', `grant_type=client_credentials&client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer&client_assertion=a.b.c&client_id=${svc.clientId}`, {}, 401, 'invalid_client'],
    ['two authentication methods', `grant_type=client_credentials&client_id=${svc.clientId}&client_secret=${svc.clientSecret}`, auth, 400, 'invalid_request'],
    ['client_id differs from Basic', `grant_type=client_credentials&client_id=${web.clientId}`, auth, 400, 'invalid_request'],
    ['public client asks for client_credentials', `grant_type=client_credentials&client_id=${spa.clientId}`, {}, 400, 'unauthorized_client'],
  ];
  for (const [label, body, headers, status, error] of cases) assertOAuthError(await post('/v1/token', body, headers), status, error, label);
});

test('invalid_client carries WWW-Authenticate: Basic exactly when Basic was used', async () => {
  const viaBasic = await post('/v1/token', 'grant_type=client_credentials', { authorization: basic(svc.clientId, 'wrong') });
  assert.equal(viaBasic.status, 401);
  assert.match(viaBasic.headers.get('www-authenticate') ?? '', /^Basic realm="[^"]+"/);
  for (const path of ['/v1/introspect', '/v1/revoke']) {
    const r = await post(path, 'token=x', { authorization: basic(svc.clientId, 'wrong') });
    assertOAuthError(r, 401, 'invalid_client', path);
    assert.match(r.headers.get('www-authenticate') ?? '', /^Basic /, path);
  }
  const viaPost = await post('/v1/token', `grant_type=client_credentials&client_id=${svc.clientId}&client_secret=wrong`);
  assert.equal(viaPost.status, 401);
  assert.equal(viaPost.headers.get('www-authenticate'), null, 'no Basic challenge when Basic was not used');
  const none = await post('/v1/token', `grant_type=client_credentials&client_id=${svc.clientId}`);
  assert.equal(none.headers.get('www-authenticate'), null);
});

test('introspection and revocation without a token parameter, or with an unknown hint, are invalid_request', async () => {
  const auth = { authorization: basic(svc.clientId, svc.clientSecret!) };
  for (const path of ['/v1/introspect', '/v1/revoke']) {
    assertOAuthError(await post(path, '', auth), 400, 'invalid_request', `${path} without token`);
    assertOAuthError(await post(path, 'token=a&token=b', auth), 400, 'invalid_request', `${path} repeated token`);
    assertOAuthError(await post(path, 'token=a&token_type_hint=magic', auth), 400, 'invalid_request', `${path} unknown hint`);
  }
});

test('wrong content types, a missing content type, broken percent-encoding and invalid UTF-8 (raw or percent-encoded) get 400 invalid_request', async () => {
  const auth = basic(svc.clientId, svc.clientSecret!);
  const bodies: [string | undefined, string | Buffer][] = [
    ['application/json', '{"grant_type":"client_credentials"}'],
    ['text/plain', 'grant_type=client_credentials'],
    ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="grant_type"\r\n\r\nclient_credentials\r\n--x--'],
    ['application/x-www-form-urlencodedx', 'grant_type=client_credentials'],
    [undefined, 'grant_type=client_credentials'],
    ['application/x-www-form-urlencoded', Buffer.from([0x67, 0x72, 0x61, 0x6e, 0x74, 0x5f, 0x74, 0x79, 0x70, 0x65, 0x3d, 0xff, 0xfe])],
    ['application/x-www-form-urlencoded', 'grant_type=client_credentials&x=%C3%28'],
    ['application/x-www-form-urlencoded', 'grant_type=client_credentials&x=%ED%A0%80'],
    ['application/x-www-form-urlencoded', 'grant_type=client_credentials&x=100%'],
    ['application/x-www-form-urlencoded', 'grant_type=client_credentials&x=%ZZ'],
  ];
  for (const path of ['/v1/token', '/v1/introspect', '/v1/revoke', '/v1/interact']) {
    for (const [type, body] of bodies) {
      const headers: Record<string, string> = { authorization: auth };
      if (type) headers['content-type'] = type;
      const res = await fetch(gh.issuer + path, { method: 'POST', headers, body: typeof body === 'string' ? new Blob([body]) : new Uint8Array(body) });
      const label = `${path} ${type} ${String(body).slice(0, 30)}`;
      assert.equal(res.status, 400, label);
      assert.equal((await res.json()).error, 'invalid_request', label);
    }
  }
});

test('a body over 64 KB gets 413, with or without Content-Length, at every POST endpoint', async () => {
  const big = 'grant_type=client_credentials&pad=' + 'x'.repeat(70_000);
  for (const path of ['/v1/token', '/v1/introspect', '/v1/revoke', '/v1/interact', '/v1/userinfo']) {
    const r = await post(path, big);
    assertOAuthError(r, 413, 'invalid_request', `${path} with Content-Length`);
    // Chunked, so the server only learns the size by counting.
    const chunked = await raw({ method: 'POST', path: `/oauth2/default${path}`, headers: { 'content-type': 'application/x-www-form-urlencoded', 'transfer-encoding': 'chunked' }, chunks: Array.from({ length: 20 }, () => Buffer.alloc(4096, 'x')) });
    assert.equal(chunked.status, 413, `${path} chunked`);
    assert.equal(JSON.parse(chunked.body).error, 'invalid_request');
  }
  // Exactly at the limit is still parsed (and then refused for what it says, not for its size).
  const atLimit = await post('/v1/token', 'grant_type=client_credentials&pad=' + 'x'.repeat(64 * 1024 - 34), { authorization: basic(svc.clientId, svc.clientSecret!) });
  assert.equal(atLimit.status, 200);
});

test('GET, PUT, DELETE, PATCH and HEAD on POST-only endpoints get 405 with Allow, on both servers', async () => {
  for (const base of [gh.issuer, `${gh.baseUrl}/oauth2`]) {
    for (const path of ['/v1/token', '/v1/introspect', '/v1/revoke', '/v1/interact']) {
      for (const method of ['GET', 'PUT', 'DELETE', 'PATCH', 'HEAD']) {
        const res = await fetch(base + path, { method });
        assert.equal(res.status, 405, `${method} ${base}${path}`);
        assert.equal(res.headers.get('allow'), 'POST');
        if (method !== 'HEAD') assert.equal((await res.json()).error, 'invalid_request');
      }
    }
  }
  const keys = await fetch(`${gh.issuer}/v1/keys`, { method: 'POST' });
  assert.equal(keys.status, 405);
  assert.equal(keys.headers.get('allow'), 'GET, HEAD');
  const ui = await fetch(`${gh.issuer}/v1/userinfo`, { method: 'DELETE' });
  assert.equal(ui.status, 405);
  assert.equal(ui.headers.get('allow'), 'GET, POST');
});

test('a spoofed Host, X-Forwarded-Host or Forwarded header leaves discovery and token issuers unchanged', async () => {
  const spoof = { host: 'evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https', 'x-forwarded-port': '443', forwarded: 'host=evil.example;proto=https' };
  const docs: [string, string][] = [
    [`/.well-known/openid-configuration`, gh.baseUrl],
    [`/.well-known/oauth-authorization-server`, gh.baseUrl],
    [`/oauth2/default/.well-known/openid-configuration`, gh.issuer],
    [`/oauth2/default/.well-known/oauth-authorization-server`, gh.issuer],
  ];
  for (const [path, issuer] of docs) {
    const r = await raw({ path, headers: spoof });
    assert.equal(r.status, 200, path);
    assert.equal(JSON.parse(r.body).issuer, issuer, path);
    assert.ok(!r.body.includes('evil.example'), path);
    // The bytes are the same as without any spoofing (one pre-serialised document).
    assert.equal(r.body, await (await fetch(gh.baseUrl + path)).text(), path);
  }
  const form = `grant_type=client_credentials`;
  const t = await raw({ method: 'POST', path: '/oauth2/default/v1/token', headers: { ...spoof, 'content-type': 'application/x-www-form-urlencoded', authorization: basic(svc.clientId, svc.clientSecret!), 'content-length': String(form.length) }, chunks: [Buffer.from(form)] });
  assert.equal(t.status, 200);
  const claims = JSON.parse(Buffer.from(JSON.parse(t.body).access_token.split('.')[1], 'base64url').toString());
  assert.equal(claims.iss, gh.issuer);
});

test('no malformed request at any OAuth endpoint gets a 5xx', async () => {
  const auth = basic(svc.clientId, svc.clientSecret!);
  const attempts: { method: string; path: string; headers?: Record<string, string>; body?: string | Buffer }[] = [];
  const endpoints = ['/v1/token', '/v1/introspect', '/v1/revoke', '/v1/interact', '/v1/userinfo', '/v1/keys', '/v1/logout', '/v1/authorize', '/.well-known/openid-configuration'];
  const forms = [
    '', '=', '&&&', '%', '%%%', '%00', 'a=%00', 'token=%00', '\u0000', 'grant_type=client_credentials&scope=%00',
    'grant_type=refresh_token&refresh_token=' + '%FF'.repeat(10), 'token=' + 'x'.repeat(10_000), 'client_id[]=1&client_id[b]=2',
    '__proto__[x]=1&constructor[prototype][y]=2', 'grant_type=interaction_code&interaction_code=' + 'a'.repeat(600) + '&code_verifier=x',
    'client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer&client_assertion=' + 'e30.e30.e30' + '&grant_type=client_credentials',
    'client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer&client_assertion=' + Buffer.from('{"sub":{"a":1}}').toString('base64url') + '.x.y&grant_type=client_credentials',
    'client_id=' + 'x'.repeat(5000) + '&grant_type=client_credentials',
    'redirect_uri=javascript:alert(1)&client_id=x&code_challenge=x&code_challenge_method=S256&scope=openid&state=s',
  ];
  for (const base of ['/oauth2/default', '/oauth2', '']) {
    for (const path of endpoints) {
      if (base === '' && !path.startsWith('/.well-known')) continue;
      for (const body of forms) {
        for (const headers of [{}, { authorization: auth }, { authorization: 'Basic' }, { authorization: 'Bearer ' + 'x'.repeat(9000) }] as Record<string, string>[]) {
          attempts.push({ method: 'POST', path: base + path, headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body });
        }
      }
      attempts.push({ method: 'GET', path: `${base}${path}?client_id=%ZZ&redirect_uri=%00&id_token_hint=a.b.c&access_token=x` });
      attempts.push({ method: 'POST', path: base + path, headers: { 'content-type': 'application/json' }, body: '{"__proto__":{"polluted":1}' });
    }
  }
  attempts.push({ method: 'GET', path: '/oauth2/default/v1/logout?id_token_hint=' + 'e30.' + Buffer.from('{"iat":"soon"}').toString('base64url') + '.x' });
  attempts.push({ method: 'GET', path: '/oauth2/%2e%2e/v1/keys' });
  attempts.push({ method: 'GET', path: '/oauth2/default/v1/keys/../../v1/token' });
  const statuses = new Map<number, number>();
  for (const a of attempts) {
    const res = await fetch(gh.baseUrl + a.path, { method: a.method, headers: a.headers, body: typeof a.body === 'string' || a.body === undefined ? a.body : new Uint8Array(a.body) });
    const text = await res.text();
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    assert.ok(res.status < 500, `${a.method} ${a.path} ${String(a.body).slice(0, 40)} -> ${res.status} ${text.slice(0, 200)}`);
    assert.ok(!/\n\s+at /.test(text), 'no stack trace in a response');
  }
  assert.equal((Object.prototype as any).polluted, undefined);
  assert.ok(attempts.length > 500, `${attempts.length} attempts`);
});

test('unknown paths and unknown authorization servers are 404, not 5xx', async () => {
  assert.equal((await fetch(`${gh.baseUrl}/oauth2/nope/v1/token`, { method: 'POST' })).status, 404);
  assert.equal((await fetch(`${gh.baseUrl}/oauth2/nope/.well-known/openid-configuration`)).status, 404);
  assert.equal((await fetch(`${gh.baseUrl}/oauth2/default/v1/nope`)).status, 404);
  assert.equal((await fetch(`${gh.baseUrl}/nothing`)).status, 404);
});
