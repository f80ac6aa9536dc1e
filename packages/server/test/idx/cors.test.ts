// CORS only for trusted origins: exact origin echoed with credentials and Vary: Origin; an untrusted,
// null, look-alike or downgraded origin gets no CORS headers at all.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../support/start-server.js';

let gh: TestServer;
const trusted = 'https://app.example.com';

before(async () => {
  gh = await startServer();
  await gh.createApp({ name: 'x', redirectUris: [trusted + '/cb'], trustedOrigins: [trusted] });
});
after(() => gh.close());

const paths = () => [`${gh.baseUrl}/idp/idx/introspect`, `${gh.issuer}/v1/interact`, `${gh.issuer}/.well-known/openid-configuration`, `${gh.issuer}/v1/keys`, `${gh.issuer}/v1/token`];

test('a trusted origin gets its exact origin echoed with credentials and Vary: Origin, and preflights are answered', async () => {
  for (const url of paths()) {
    const pre = await fetch(url, { method: 'OPTIONS', headers: { origin: trusted, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-okta-user-agent-extended' } });
    assert.equal(pre.status, 204, url);
    assert.equal(pre.headers.get('access-control-allow-origin'), trusted);
    assert.equal(pre.headers.get('access-control-allow-credentials'), 'true');
    assert.match(pre.headers.get('access-control-allow-headers') ?? '', /X-Okta-User-Agent-Extended/);
    assert.match(pre.headers.get('access-control-allow-methods') ?? '', url.includes('.well-known') || url.endsWith('/keys') ? /GET/ : /POST/);
    assert.match(pre.headers.get('vary') ?? '', /Origin/);
  }
  const res = await fetch(`${gh.issuer}/.well-known/openid-configuration`, { headers: { origin: trusted } });
  assert.equal(res.headers.get('access-control-allow-origin'), trusted);
});

test('untrusted, null, look-alike and downgraded origins get no CORS headers', async () => {
  const bad = ['https://evil.example.com', 'null', 'http://app.example.com', 'https://app.example.com.evil.com', 'https://app.example.co', 'https://APP.example.com', 'https://app.example.com:444'];
  for (const origin of bad) {
    for (const url of paths()) {
      const pre = await fetch(url, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } });
      assert.equal(pre.headers.get('access-control-allow-origin'), null, `${origin} ${url}`);
      assert.equal(pre.headers.get('access-control-allow-credentials'), null);
    }
  }
});
