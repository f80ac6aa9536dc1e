// Bad input at the OAuth endpoints: RFC 6749 JSON errors with the exact code, 4xx never 5xx, 413 for big
// bodies, 405 with Allow, and a spoofed Host never changes the issuer.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { startServer, type TestServer } from '../support/start-server.js';

let gh: TestServer;
let svc: { clientId: string; clientSecret?: string };
before(async () => {
  gh = await startServer();
  svc = await gh.createApp({ name: 'svc', type: 'service' });
});
after(() => gh.close());

const basic = (id: string, secret: string) => 'Basic ' + Buffer.from(`${id}:${secret}`).toString('base64');
async function post(path: string, body: string, headers: Record<string, string> = {}) {
  const res = await fetch(gh.issuer + path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : undefined };
}

test('each malformed token request gets its exact RFC 6749 error', async () => {
  const auth = { authorization: basic(svc.clientId, svc.clientSecret!) };
  const cases: [string, Record<string, string>, number, string][] = [
    ['', auth, 400, 'invalid_request'],
    ['grant_type=client_credentials&grant_type=client_credentials', auth, 400, 'invalid_request'],
    ['grant_type=password&username=a&password=b', auth, 400, 'unsupported_grant_type'],
    ['grant_type=client_credentials&scope=openid', auth, 400, 'invalid_scope'],
    ['grant_type=client_credentials&scope=' + encodeURIComponent('no such scope'), auth, 400, 'invalid_scope'],
    ['grant_type=authorization_code&code=x&code_verifier=' + 'v'.repeat(43), auth, 400, 'unauthorized_client'],
    ['grant_type=client_credentials', { authorization: basic(svc.clientId, 'wrong') }, 401, 'invalid_client'],
    ['grant_type=client_credentials', { authorization: basic('0oaNOBODY', 'x') }, 401, 'invalid_client'],
    ['grant_type=client_credentials&client_id=' + svc.clientId, {}, 401, 'invalid_client'],
    ['grant_type=client_credentials&client_id=' + svc.clientId + '&client_secret=' + svc.clientSecret, auth, 400, 'invalid_request'],
    ['grant_type=refresh_token&refresh_token=unknown', auth, 400, 'unauthorized_client'],
  ];
  for (const [body, headers, status, error] of cases) {
    const r = await post('/v1/token', body, headers);
    assert.equal(r.status, status, body);
    assert.equal(r.json.error, error, body);
    assert.equal(typeof r.json.error_description, 'string');
    assert.equal(r.headers.get('cache-control'), 'no-store');
  }
  const basicFail = await post('/v1/token', 'grant_type=client_credentials', { authorization: basic(svc.clientId, 'wrong') });
  assert.match(basicFail.headers.get('www-authenticate') ?? '', /^Basic /);
  const postFail = await post('/v1/token', `grant_type=client_credentials&client_id=${svc.clientId}&client_secret=wrong`);
  assert.equal(postFail.status, 401);
  assert.equal(postFail.headers.get('www-authenticate'), null, 'no Basic challenge when Basic was not used');
});

test('wrong content types, broken forms and invalid UTF-8 get 400 invalid_request', async () => {
  for (const [type, body] of [['application/json', '{"grant_type":"client_credentials"}'], ['text/plain', 'grant_type=client_credentials'], ['application/x-www-form-urlencoded', Buffer.from([0x67, 0x3d, 0xff, 0xfe])]] as const) {
    const res = await fetch(gh.issuer + '/v1/token', { method: 'POST', headers: { 'content-type': type, authorization: basic(svc.clientId, svc.clientSecret!) }, body });
    assert.equal(res.status, 400, type);
    assert.equal((await res.json()).error, 'invalid_request');
  }
});

test('a body over 64 KB gets 413', async () => {
  const r = await post('/v1/token', 'grant_type=client_credentials&pad=' + 'x'.repeat(70_000));
  assert.equal(r.status, 413);
  assert.equal(r.json.error, 'invalid_request');
});

test('GET, PUT and DELETE on POST-only endpoints get 405 with Allow', async () => {
  for (const path of ['/v1/token', '/v1/introspect', '/v1/revoke', '/v1/interact']) {
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const res = await fetch(gh.issuer + path, { method });
      assert.equal(res.status, 405, `${method} ${path}`);
      assert.equal(res.headers.get('allow'), 'POST');
    }
  }
});

test('a spoofed Host or X-Forwarded-Host leaves the issuer and links unchanged', async () => {
  const body = await new Promise<string>((resolve, reject) => {
    const u = new URL(gh.issuer + '/.well-known/openid-configuration');
    const req = request({ host: u.hostname, port: u.port, path: u.pathname, headers: { host: 'evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' } }, (res) => {
      let d = '';
      res.on('data', (c) => (d += c));
      res.on('end', () => resolve(d));
    });
    req.on('error', reject);
    req.end();
  });
  const doc = JSON.parse(body);
  assert.equal(doc.issuer, gh.issuer);
  assert.ok(!body.includes('evil.example'));
});

test('unknown paths and unknown authorization servers are 404, not 5xx', async () => {
  assert.equal((await fetch(`${gh.baseUrl}/oauth2/nope/v1/token`, { method: 'POST' })).status, 404);
  assert.equal((await fetch(`${gh.baseUrl}/nothing`)).status, 404);
});
