// Input no database can store is refused at the edge, the same on SQLite and PostgreSQL: a NUL (which
// PostgreSQL cannot hold) or another control character in a client id, state, nonce, login hint, redirect
// URI, scope, identifier or handle is invalid_request (OAuth), a field message (IDX) or a 400 page — never
// a 5xx. The sweep sends each value to every endpoint that reads it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startServer, type TestServer } from '../support/start-server.js';
import { ION, idx, interact, introspect, pkce } from '../support/idx-client.js';
import { noPostgres, POSTGRES_URL, postgresReachable } from '../support/postgres.js';

const redirectUri = 'http://localhost:3000/callback';
const BAD = ['a\u0000b', '\u0000', 'a\u0001b', 'line\nbreak', 'del\u007f'];

interface Answer { where: string; status: number; body: string }

async function sweep(gh: TestServer): Promise<Answer[]> {
  const web = await gh.createApp({ name: 'sweep', redirectUris: [redirectUri] });
  await gh.createUser({ email: 'sweep@example.com', password: 'a-long-password-1' });
  const out: Answer[] = [];
  const record = async (where: string, res: Response) => out.push({ where, status: res.status, body: await res.text() });
  const form = (url: string, params: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(params) });
  const basic = 'Basic ' + Buffer.from(`${web.clientId}:${web.clientSecret}`).toString('base64');
  const { challenge } = pkce();
  const interactParams = { client_id: web.clientId, redirect_uri: redirectUri, scope: 'openid', state: 's', nonce: 'n', code_challenge: challenge, code_challenge_method: 'S256' };

  for (const bad of BAD) {
    for (const name of ['client_id', 'redirect_uri', 'scope', 'state', 'nonce', 'login_hint', 'code_challenge']) {
      await record(`interact ${name}`, await form(`${gh.issuer}/v1/interact`, { ...interactParams, [name]: bad }));
      const url = new URL(`${gh.issuer}/v1/authorize`);
      for (const [k, v] of Object.entries({ ...interactParams, response_type: 'code', [name]: bad })) url.searchParams.set(k, v);
      await record(`authorize ${name}`, await fetch(url, { redirect: 'manual' }));
    }
    await record('authorize parameter name', await fetch(`${gh.issuer}/v1/authorize?client_id=${web.clientId}&x%00y=1`, { redirect: 'manual' }));
    for (const [grant, extra] of [['authorization_code', { code: bad, redirect_uri: redirectUri }], ['interaction_code', { interaction_code: bad, code_verifier: 'v'.repeat(43) }],
      ['refresh_token', { refresh_token: bad }], ['client_credentials', { scope: bad }], [bad, {}]] as const) {
      await record(`token ${grant}`, await form(`${gh.issuer}/v1/token`, { grant_type: grant, ...extra }, { authorization: basic }));
    }
    await record('token client_id', await form(`${gh.issuer}/v1/token`, { grant_type: 'client_credentials', client_id: bad, client_secret: 'x' }));
    await record('token basic client_id', await form(`${gh.issuer}/v1/token`, { grant_type: 'client_credentials' }, { authorization: 'Basic ' + Buffer.from(`${encodeURIComponent(bad)}:x`).toString('base64') }));
    await record('introspect', await form(`${gh.issuer}/v1/introspect`, { token: bad }, { authorization: basic }));
    await record('revoke', await form(`${gh.issuer}/v1/revoke`, { token: bad }, { authorization: basic }));
    await record('userinfo', await form(`${gh.issuer}/v1/userinfo`, { access_token: bad }));
    await record('logout client_id', await fetch(`${gh.issuer}/v1/logout?client_id=${encodeURIComponent(bad)}&post_logout_redirect_uri=${encodeURIComponent(redirectUri)}`, { redirect: 'manual' }));
    await record('logout post_logout_redirect_uri', await fetch(`${gh.issuer}/v1/logout?client_id=${web.clientId}&post_logout_redirect_uri=${encodeURIComponent(bad)}`, { redirect: 'manual' }));

    // IDX: handles and the identifier, as JSON strings.
    const it = await interact(gh, { clientId: web.clientId, redirectUri });
    const first = await introspect(gh, { interactionHandle: it.interactionHandle });
    const href = first.json.remediation.value[0].href as string;
    for (const [where, res] of [
      ['idx introspect interactionHandle', await introspect(gh, { interactionHandle: bad })],
      ['idx introspect stateToken', await introspect(gh, { stateToken: bad })],
      ['idx identify identifier', await idx(href, { identifier: bad, credentials: { passcode: 'x' }, stateHandle: first.json.stateHandle })],
      ['idx identify passcode', await idx(href, { identifier: 'sweep@example.com', credentials: { passcode: bad }, stateHandle: first.json.stateHandle })],
      ['idx identify stateHandle', await idx(href, { identifier: 'sweep@example.com', credentials: { passcode: 'x' }, stateHandle: bad })],
      ['idx cancel', await idx(`${gh.baseUrl}/idp/idx/cancel`, { stateHandle: bad })],
    ] as const) out.push({ where, status: res.status, body: res.text });
    await record('sessions/me', await fetch(`${gh.baseUrl}/api/v1/sessions/me`, { headers: { accept: ION } }));
  }
  return out;
}

function assertNo5xx(answers: Answer[]) {
  const bad = answers.filter((a) => a.status >= 500);
  assert.deepEqual(bad.map((a) => `${a.where}: ${a.status} ${a.body.slice(0, 120)}`), [], 'no control character ends in a 5xx');
  for (const a of answers) assert.ok(a.status >= 200 && a.status < 500, `${a.where} answered ${a.status}`);
}

test('sqlite: control characters in every parameter of every endpoint are 4xx, never 5xx', async () => {
  const gh = await startServer();
  try {
    const answers = await sweep(gh);
    assertNo5xx(answers);
    const interactNul = answers.find((a) => a.where === 'interact client_id')!;
    assert.equal(interactNul.status, 400);
    assert.equal(JSON.parse(interactNul.body).error, 'invalid_request');
    const identifier = JSON.parse(answers.find((a) => a.where === 'idx identify identifier')!.body);
    const field = identifier.remediation.value[0].value.find((f: { name: string }) => f.name === 'identifier');
    assert.ok(field.messages, 'the identifier gets a field message');
  } finally {
    await gh.close();
  }
});

if (!(await postgresReachable())) {
  noPostgres('postgres: control characters');
} else {
  test('postgres: control characters in every parameter of every endpoint are 4xx, never 5xx', async () => {
    const schema = 'gh_test_' + randomBytes(6).toString('hex');
    const gh = await startServer({ config: { db: `${POSTGRES_URL}?schema=${schema}` } });
    try {
      assertNo5xx(await sweep(gh));
    } finally {
      await gh.close();
      const c = new pg.Client({ connectionString: POSTGRES_URL });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await c.end();
    }
  });
}
