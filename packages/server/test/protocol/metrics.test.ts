// Prometheus metrics on their own port, only when configured: request timings by route family and status
// class and audit events by type move with real traffic; the public port has no /metrics; nothing scraped
// names a user, a client or a token.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../support/start-server.js';
import { signIn } from '../support/sign-in.js';
import { token } from '../support/idx-client.js';

const sample = (text: string, name: string, labels: string) =>
  Number(new RegExp(`^${name}\\{${labels}\\} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);

test('with GATEHOUSE_METRICS_PORT set, /metrics on that port counts requests and audit events; the public port has none', async () => {
  const gh = await startServer({ config: { metricsPort: 0 } });
  try {
    const port = gh.gatehouse.metricsPort!;
    assert.ok(port > 0);
    const redirectUri = 'http://localhost:3000/cb';
    const email = 'metrics@example.com';
    await gh.createUser({ email, password: 'a-long-password-1' });
    const web = await gh.createApp({ name: 'm', redirectUris: [redirectUri] });
    const tokens = await signIn(gh, { ...web, redirectUri, username: email, password: 'a-long-password-1', scope: 'openid' });
    assert.equal((await token(gh, { grant_type: 'client_credentials' }, web)).status, 400, 'a web app may not use client_credentials');

    const res = await fetch(`http://127.0.0.1:${port}/metrics`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type')!, /^text\/plain/);
    const text = await res.text();
    assert.equal(sample(text, 'gatehouse_events_total', 'type="signin.success"'), 1);
    assert.equal(sample(text, 'gatehouse_events_total', 'type="token.issue"'), 1);
    assert.ok(sample(text, 'gatehouse_http_request_duration_seconds_count', 'family="idx",status="2xx"') >= 2);
    assert.ok(sample(text, 'gatehouse_http_request_duration_seconds_count', 'family="oauth",status="4xx"') >= 1);
    assert.match(text, /^gatehouse_process_cpu_seconds_total /m, 'the process figures too');
    for (const secret of [email, web.clientId, tokens.access_token.slice(0, 20)]) assert.ok(!text.includes(secret), `nothing names ${secret}`);

    assert.equal((await fetch(`${gh.baseUrl}/metrics`)).status, 404, 'not on the public port');
    assert.equal((await fetch(`http://127.0.0.1:${port}/other`)).status, 404);
  } finally {
    await gh.close();
  }
});

test('without a metrics port no metrics server runs', async () => {
  const gh = await startServer();
  try {
    assert.equal(gh.gatehouse.metricsPort, undefined);
  } finally {
    await gh.close();
  }
});
