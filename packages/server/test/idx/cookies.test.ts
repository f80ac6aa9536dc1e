// The IdP session cookie: HttpOnly always; on an https deployment Secure and SameSite=None (the widget runs
// on another site); a new random id at every sign-in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../support/start-server.js';
import { pkce } from '../support/idx-client.js';

test('on https the session cookie is Secure, HttpOnly, SameSite=None, and new at each sign-in', async () => {
  const gh = await startServer({ config: { baseUrl: 'https://id.example.test' } });
  try {
    const local = `http://127.0.0.1:${gh.gatehouse.port}`;
    const toLocal = (href: string) => href.replace('https://id.example.test', local);
    await gh.createUser({ email: 'c@example.com', password: 'a-long-password-1' });
    const redirectUri = 'https://app.example.com/cb';
    const { clientId } = await gh.createApp({ name: 'c', redirectUris: [redirectUri] });
    const cookies: string[] = [];
    for (let i = 0; i < 2; i++) {
      const it = await (await fetch(`${local}/oauth2/default/v1/interact`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ client_id: clientId, redirect_uri: redirectUri, scope: 'openid', state: 's', code_challenge: pkce().challenge, code_challenge_method: 'S256' }) })).json();
      const a = await (await fetch(`${local}/idp/idx/introspect`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ interactionHandle: it.interaction_handle }) })).json();
      assert.equal(a.remediation.value[0].href, 'https://id.example.test/idp/idx/identify', 'links come from the configured base URL');
      const res = await fetch(toLocal(a.remediation.value[0].href), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ identifier: 'c@example.com', credentials: { passcode: 'a-long-password-1' }, stateHandle: a.stateHandle }) });
      assert.equal(res.status, 200);
      const c = res.headers.get('set-cookie')!;
      assert.match(c, /^gh_sid=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; Secure; SameSite=None; Max-Age=\d+$/);
      cookies.push(c.split(';')[0]!);
    }
    assert.notEqual(cookies[0], cookies[1]);
  } finally {
    await gh.close();
  }
});
