// Headers on every answer: nosniff always; HSTS only when the configured base URL is https (then on JSON,
// HTML and error answers alike); a request id to quote in a support ticket, unique per request.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../support/start-server.js';

const paths = ['/oauth2/default/v1/keys', '/oauth2/default/.well-known/openid-configuration', '/oauth2/default/v1/authorize?client_id=nope', '/no/such/path', '/healthz'];

test('on http every answer carries nosniff and a unique request id, and no HSTS', async () => {
  const gh = await startServer();
  try {
    const ids = new Set<string>();
    for (const p of paths) {
      const res = await fetch(gh.baseUrl + p);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff', p);
      assert.equal(res.headers.get('strict-transport-security'), null, p);
      ids.add(res.headers.get('x-request-id')!);
    }
    assert.equal(ids.size, paths.length);
  } finally {
    await gh.close();
  }
});

test('with an https base URL every answer, errors included, carries HSTS', async () => {
  const gh = await startServer({ config: { baseUrl: 'https://id.example.test' } });
  try {
    const local = `http://127.0.0.1:${gh.gatehouse.port}`;
    for (const p of paths) {
      const res = await fetch(local + p);
      assert.equal(res.headers.get('strict-transport-security'), 'max-age=31536000', p);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff', p);
    }
  } finally {
    await gh.close();
  }
});
