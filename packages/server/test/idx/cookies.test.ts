// The IdP session cookie: HttpOnly always; on an https deployment Secure and SameSite=None (the widget runs
// on another site); a new random id at every sign-in. It lives as long as the browser session unless the
// user ticked "Keep me signed in" (identify's rememberMe), which makes it persistent and the session longer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../support/start-server.js';
import { idx, interact, introspect, pkce } from '../support/idx-client.js';
import { sha256 } from '../../src/random.js';

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
      assert.match(c, /^gh_sid=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; Secure; SameSite=None$/);
      cookies.push(c.split(';')[0]!);
    }
    assert.notEqual(cookies[0], cookies[1]);
  } finally {
    await gh.close();
  }
});

async function signIn(gh: TestServer, clientId: string, redirectUri: string, rememberMe?: boolean, identifierFirst = false) {
  const it = await interact(gh, { clientId, redirectUri });
  const a = (await introspect(gh, { interactionHandle: it.interactionHandle })).json;
  const extra = rememberMe === undefined ? {} : { rememberMe };
  if (!identifierFirst) {
    return idx(a.remediation.value[0].href, { identifier: 'k@example.com', credentials: { passcode: 'a-long-password-1' }, ...extra, stateHandle: a.stateHandle });
  }
  const b = await idx(a.remediation.value[0].href, { identifier: 'k@example.com', ...extra, stateHandle: a.stateHandle });
  return idx(b.json.remediation.value[0].href, { credentials: { passcode: 'a-long-password-1' }, stateHandle: a.stateHandle });
}

test('keep me signed in: rememberMe makes the cookie persistent and the session last keepSignedInSeconds; without it, a browser-session cookie and sessionTtlSeconds', async () => {
  const gh = await startServer({ config: { sessionTtlSeconds: 3600, keepSignedInSeconds: 86400 } });
  try {
    await gh.createUser({ email: 'k@example.com', password: 'a-long-password-1' });
    const redirectUri = 'http://localhost:3000/cb';
    const pf = (await gh.createApp({ name: 'pf', redirectUris: [redirectUri] })).clientId;
    const ifa = (await gh.createApp({ name: 'if', redirectUris: [redirectUri], signIn: 'identifier-first' })).clientId;
    const expiresIn = async (setCookie: string) => {
      const id = /^gh_sid=([^;]+)/.exec(setCookie)![1]!;
      const session = await gh.gatehouse.deps.store.sessions.findByIdHash(sha256(id), gh.clock.now());
      return Math.round((session!.expiresAt - gh.clock.now()) / 1000);
    };
    for (const [label, rememberMe, identifierFirst] of [['password first', true, false], ['identifier first, chosen at identify', true, true]] as const) {
      const kept = await signIn(gh, identifierFirst ? ifa : pf, redirectUri, rememberMe, identifierFirst);
      assert.equal(kept.status, 200, label);
      const c = kept.headers.get('set-cookie')!;
      assert.match(c, /; Max-Age=86400$/, label);
      assert.ok(Math.abs(await expiresIn(c) - 86400) <= 2, label);
    }
    for (const rememberMe of [undefined, false]) {
      const plain = await signIn(gh, pf, redirectUri, rememberMe);
      const c = plain.headers.get('set-cookie')!;
      assert.doesNotMatch(c, /Max-Age|Expires/i, 'a browser-session cookie');
      assert.ok(Math.abs(await expiresIn(c) - 3600) <= 2);
    }
  } finally {
    await gh.close();
  }
});
