// The load generator's sign-in flows for `npm run bench`: Gatehouse's IDX flow and oidc-provider's code + PKCE
// flow, each six requests with one argon2id check, over keep-alive loopback connections. Each flow is a new user
// agent (its own cookies) signing in one of 64 users.
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
export const closeAgent = () => agent.destroy();

function request(url, { method = 'POST', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, agent }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

const form = { 'content-type': 'application/x-www-form-urlencoded' };
const json = { 'content-type': 'application/json' };
const pkce = () => {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
};
const basic = (c) => 'Basic ' + Buffer.from(`${c.clientId}:${c.clientSecret}`).toString('base64');

function stepper(timings) {
  return async (name, expected, fn) => {
    const t0 = process.hrtime.bigint();
    const r = await fn();
    (timings[name] ??= []).push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (r.status !== expected) throw new Error(`${name}: ${r.status} ${r.body.slice(0, 300)}`);
    return r;
  };
}

async function gatehouseFlow(s, userIndex, timings) {
  const step = stepper(timings);
  const body = async (...a) => JSON.parse((await step(...a)).body);
  const { verifier, challenge } = pkce();
  const it = await body('interact', 200, () => request(`${s.issuer}/v1/interact`, { headers: form, body: new URLSearchParams({ client_id: s.web.clientId, redirect_uri: s.redirectUri, scope: 'openid profile email', state: 'bench-state', code_challenge: challenge, code_challenge_method: 'S256' }).toString() }));
  const a = await body('introspect', 200, () => request(`${s.baseUrl}/idp/idx/introspect`, { headers: { 'content-type': 'application/ion+json; okta-version=1.0.0' }, body: JSON.stringify({ interactionHandle: it.interaction_handle }) }));
  const b = await body('identify', 200, () => request(a.remediation.value[0].href, { headers: json, body: JSON.stringify({ identifier: `user${userIndex}@bench.example`, stateHandle: a.stateHandle }) }));
  const c = await body('challenge/answer', 200, () => request(b.remediation.value[0].href, { headers: json, body: JSON.stringify({ credentials: { passcode: s.password }, stateHandle: a.stateHandle }) }));
  const code = c.successWithInteractionCode.value.find((f) => f.name === 'interaction_code').value;
  const t = await body('token', 200, () => request(`${s.issuer}/v1/token`, { headers: { ...form, authorization: basic(s.web) }, body: new URLSearchParams({ grant_type: 'interaction_code', interaction_code: code, code_verifier: verifier }).toString() }));
  await step('userinfo', 200, () => request(`${s.issuer}/v1/userinfo`, { method: 'GET', headers: { authorization: `Bearer ${t.access_token}` } }));
}

/** oidc-provider's code + PKCE flow, its cookies kept per flow as a browser would. */
async function peerFlow(p, userIndex, timings) {
  const step = stepper(timings);
  const jar = new Map();
  const cookies = (r) => {
    for (const c of r.headers['set-cookie'] ?? []) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i);
      const value = pair.slice(i + 1);
      if (value && !/expires=Thu, 01 Jan 1970/i.test(c)) jar.set(name, value); else jar.delete(name);
    }
    return r;
  };
  const sent = () => ({ cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') });
  const at = (location) => new URL(location, p.issuer).href;
  const { verifier, challenge } = pkce();
  const q = new URLSearchParams({ client_id: p.web.clientId, redirect_uri: p.redirectUri, response_type: 'code', scope: 'openid profile email', state: 'bench-state', nonce: randomBytes(8).toString('base64url'), code_challenge: challenge, code_challenge_method: 'S256' });
  const a = cookies(await step('authorize', 303, () => request(`${p.issuer}/auth?${q}`, { method: 'GET' })));
  const f = JSON.parse(cookies(await step('login form', 200, () => request(at(a.headers.location), { method: 'GET', headers: sent() }))).body);
  const l = cookies(await step('login (argon2id)', 303, () => request(at(f.action), { headers: { ...form, ...sent() }, body: new URLSearchParams({ login: `user${userIndex}@bench.example`, password: p.password }).toString() })));
  const r = cookies(await step('resume', 303, () => request(at(l.headers.location), { method: 'GET', headers: sent() })));
  const code = new URL(r.headers.location).searchParams.get('code');
  if (!code) throw new Error(`resume: no code in ${r.headers.location}`);
  const t = JSON.parse((await step('token', 200, () => request(`${p.issuer}/token`, { headers: { ...form, authorization: basic(p.web) }, body: new URLSearchParams({ grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: p.redirectUri }).toString() }))).body);
  await step('userinfo', 200, () => request(`${p.issuer}/me`, { method: 'GET', headers: { authorization: `Bearer ${t.access_token}` } }));
}

async function run(flow, target, concurrency, seconds) {
  const timings = {};
  let done = 0;
  const end = Date.now() + seconds * 1000;
  const t0 = process.hrtime.bigint();
  await Promise.all(Array.from({ length: concurrency }, async (_, w) => {
    while (Date.now() < end) { await flow(target, w % 64, timings); done++; }
  }));
  const elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
  const pct = (xs, q) => { const a = [...xs].sort((x, y) => x - y); return a[Math.min(a.length - 1, Math.floor(q * a.length))]; };
  const steps = Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, { p50: pct(v, 0.5), p99: pct(v, 0.99) }]));
  return { rate: done / elapsed, done, steps };
}
export const flows = (s, concurrency, seconds) => run(gatehouseFlow, s, concurrency, seconds);
export const peerFlows = (p, concurrency, seconds) => run(peerFlow, p, concurrency, seconds);

/** p50 of the password step for an unknown user, a wrong password, a locked user and the right password. */
export async function enumerationTiming(s) {
  const out = {};
  for (const [label, identifier, password] of [['unknown user', 'nobody@bench.example', s.password], ['wrong password', 'user1@bench.example', 'wrong-password-1'], ['locked user', 'locked@bench.example', s.password], ['right password', 'user2@bench.example', s.password]]) {
    const times = [];
    for (let i = 0; i < 40; i++) {
      const it = JSON.parse((await request(`${s.issuer}/v1/interact`, { headers: form, body: new URLSearchParams({ client_id: s.pf.clientId, redirect_uri: s.redirectUri, scope: 'openid', state: 's', code_challenge: pkce().challenge, code_challenge_method: 'S256' }).toString() })).body);
      const a = JSON.parse((await request(`${s.baseUrl}/idp/idx/introspect`, { headers: json, body: JSON.stringify({ interactionHandle: it.interaction_handle }) })).body);
      const t0 = process.hrtime.bigint();
      await request(a.remediation.value[0].href, { headers: json, body: JSON.stringify({ identifier, credentials: { passcode: password }, stateHandle: a.stateHandle }) });
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    times.sort((x, y) => x - y);
    out[label] = times[Math.floor(times.length / 2)];
  }
  return out;
}
