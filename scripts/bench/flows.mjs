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

// ---- Multi-factor sign-in (issue 9) and password recovery (issue 15) ----
import * as OTPAuth from 'otpauth';
import { softAuthenticator } from './webauthn.mjs';

const names = (j) => (j.remediation?.value ?? []).map((f) => f.name);
const formNamed = (j, name) => {
  const f = j.remediation?.value.find((x) => x.name === name);
  if (!f) throw new Error(`no ${name} in [${names(j)}]: ${JSON.stringify(j).slice(0, 300)}`);
  return f;
};
/** The id of the option for `key` in a select-authenticator-* form (options are in the order of `list`). */
const optionId = (j, formName, key, list) => {
  const form = formNamed(j, formName);
  const i = j[list].value.findIndex((a) => a.key === key);
  if (i < 0) throw new Error(`no ${key} among ${list}`);
  return form.value[0].options[i].value.form.value.find((f) => f.name === 'id').value;
};
const totpCode = (secret, now = Date.now()) =>
  new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: now });

/** interact → introspect → identify → password on the any-2 app: the response asking for the second factor. */
async function throughPassword(s, client, username, step) {
  const body = async (...a) => JSON.parse((await step(...a)).body);
  const { verifier, challenge } = pkce();
  const it = await body('interact', 200, () => request(`${s.issuer}/v1/interact`, { headers: form, body: new URLSearchParams({ client_id: client.clientId, redirect_uri: s.redirectUri, scope: 'openid profile email', state: 'bench-state', code_challenge: challenge, code_challenge_method: 'S256' }).toString() }));
  const a = await body('introspect', 200, () => request(`${s.baseUrl}/idp/idx/introspect`, { headers: { 'content-type': 'application/ion+json; okta-version=1.0.0' }, body: JSON.stringify({ interactionHandle: it.interaction_handle }) }));
  const b = await body('identify', 200, () => request(formNamed(a, 'identify').href, { headers: json, body: JSON.stringify({ identifier: username, stateHandle: a.stateHandle }) }));
  const c = await body('password', 200, () => request(formNamed(b, 'challenge-authenticator').href, { headers: json, body: JSON.stringify({ credentials: { passcode: s.password }, stateHandle: a.stateHandle }) }));
  return { verifier, stateHandle: a.stateHandle, next: c, body };
}
const interactionCode = (j) => {
  const code = j.successWithInteractionCode?.value.find((f) => f.name === 'interaction_code')?.value;
  if (!code) throw new Error(`no interaction code: ${JSON.stringify(j).slice(0, 300)}`);
  return code;
};
async function finish(s, client, p, done) {
  const t = await p.body('token', 200, () => request(`${s.issuer}/v1/token`, { headers: { ...form, authorization: basic(client) }, body: new URLSearchParams({ grant_type: 'interaction_code', interaction_code: interactionCode(done), code_verifier: p.verifier }).toString() }));
  await p.body('userinfo', 200, () => request(`${s.issuer}/v1/userinfo`, { method: 'GET', headers: { authorization: `Bearer ${t.access_token}` } }));
}

/**
 * Setup, not measured: each TOTP user enrolls Google Authenticator and each WebAuthn user a software passkey,
 * through the IDX flow (password, select-authenticator-enroll, enroll-authenticator), as a user would.
 */
export async function enrollMfa(s, concurrency = 8) {
  const origin = new URL(s.baseUrl).origin;
  const rpId = new URL(s.baseUrl).hostname;
  const totp = Array.from({ length: s.mfaUsers }, (_, i) => ({ username: `totp${i}@bench.example`, secret: '', lastStep: -1 }));
  const wa = Array.from({ length: Math.min(64, s.mfaUsers) }, (_, i) => ({ username: `wa${i}@bench.example`, key: softAuthenticator(origin, rpId) }));
  const jobs = [...totp.map((u) => ['google_otp', u]), ...wa.map((u) => ['webauthn', u])];
  const timings = {};
  await Promise.all(Array.from({ length: concurrency }, async () => {
    for (let job; (job = jobs.shift());) {
      const [key, u] = job;
      const p = await throughPassword(s, s.mfa, u.username, stepper(timings));
      const sh = p.stateHandle;
      const e = await p.body('select', 200, () => request(formNamed(p.next, 'select-authenticator-enroll').href, { headers: json, body: JSON.stringify({ authenticator: { id: optionId(p.next, 'select-authenticator-enroll', key, 'authenticators') }, stateHandle: sh }) }));
      const cd = e.currentAuthenticator.value.contextualData;
      let credentials;
      if (key === 'google_otp') {
        u.secret = cd.sharedSecret;
        const now = Date.now();
        credentials = { passcode: totpCode(u.secret, now) };
        u.lastStep = Math.floor(now / 30_000); // that step's code is spent
      } else credentials = u.key.create(cd.activationData.challenge);
      const done = await p.body('enroll', 200, () => request(formNamed(e, 'enroll-authenticator').href, { headers: json, body: JSON.stringify({ credentials, stateHandle: sh }) }));
      interactionCode(done);
    }
  }));
  return { totp, wa, waits: 0 };
}

/**
 * A TOTP user whose code for the current 30 s step is unspent (a code is accepted once per step per user), or
 * a wait for the next step when every user has spent it (counted in `waits`: the pool is then too small).
 */
async function takeTotpUser(pool) {
  for (;;) {
    const step = Math.floor(Date.now() / 30_000);
    const u = pool.totp.find((x) => !x.busy && x.lastStep < step);
    if (u) { u.busy = true; u.lastStep = step; return u; }
    pool.waits++;
    await new Promise((r) => setTimeout(r, 30_000 - (Date.now() % 30_000) + 5));
  }
}

/** Full sign-in on the any-2 app: password, then the second factor (a TOTP code or a WebAuthn assertion), token, userinfo. */
async function mfaFlow({ s, pool, kind }, slot, timings) {
  const step = stepper(timings);
  const u = kind === 'totp' ? await takeTotpUser(pool) : pool.wa[slot % pool.wa.length];
  try {
    const p = await throughPassword(s, s.mfa, u.username, step);
    const key = kind === 'totp' ? 'google_otp' : 'webauthn';
    // With one factor enrolled besides the password, the server may ask for it at once or offer the list.
    let ch = p.next;
    if (names(ch).includes('select-authenticator-authenticate')) {
      ch = await p.body('select', 200, () => request(formNamed(p.next, 'select-authenticator-authenticate').href, { headers: json, body: JSON.stringify({ authenticator: { id: optionId(p.next, 'select-authenticator-authenticate', key, 'authenticatorEnrollments') }, stateHandle: p.stateHandle }) }));
    }
    const credentials = kind === 'totp' ? { passcode: totpCode(u.secret) } : u.key.get(ch.currentAuthenticatorEnrollment.value.contextualData.challengeData.challenge);
    const done = await p.body(kind === 'totp' ? 'TOTP code' : 'WebAuthn assertion', 200, () => request(formNamed(ch, 'challenge-authenticator').href, { headers: json, body: JSON.stringify({ credentials, stateHandle: p.stateHandle }) }));
    await finish(s, s.mfa, p, done);
  } finally {
    u.busy = false;
  }
}
export const mfaFlows = (s, pool, kind, concurrency, seconds) => run(mfaFlow, { s, pool, kind }, concurrency, seconds);

/**
 * Password recovery, start to tokens: interact → introspect → recover → identify-recovery → select the email →
 * the code from the delivered mail → challenge/answer with it → reset-authenticator (a new password, argon2id) →
 * token → userinfo. One user per concurrent slot, so each mail has one reader.
 */
async function recoveryFlow({ s, smtp, serial }, slot, timings) {
  const step = stepper(timings);
  const body = async (...a) => JSON.parse((await step(...a)).body);
  const username = `rec${slot % s.recoveryUsers}@bench.example`;
  const { verifier, challenge } = pkce();
  const it = await body('interact', 200, () => request(`${s.issuer}/v1/interact`, { headers: form, body: new URLSearchParams({ client_id: s.web.clientId, redirect_uri: s.redirectUri, scope: 'openid profile email', state: 'bench-state', code_challenge: challenge, code_challenge_method: 'S256' }).toString() }));
  const a = await body('introspect', 200, () => request(`${s.baseUrl}/idp/idx/introspect`, { headers: { 'content-type': 'application/ion+json; okta-version=1.0.0' }, body: JSON.stringify({ interactionHandle: it.interaction_handle }) }));
  const sh = a.stateHandle;
  const r = await body('recover', 200, () => request(a.currentAuthenticator.value.recover.href, { headers: json, body: JSON.stringify({ stateHandle: sh }) }));
  const i = await body('identify-recovery', 200, () => request(formNamed(r, 'identify-recovery').href, { headers: json, body: JSON.stringify({ identifier: username, stateHandle: sh }) }));
  const sel = formNamed(i, 'select-authenticator-authenticate');
  const id = sel.value[0].options[0].value.form.value.find((f) => f.name === 'id').value;
  const c = await body('select email', 200, () => request(sel.href, { headers: json, body: JSON.stringify({ authenticator: { id }, stateHandle: sh }) }));
  const t0 = process.hrtime.bigint();
  const code = await smtp.nextCode(username);
  (timings['mail delivered (after select)'] ??= []).push(Number(process.hrtime.bigint() - t0) / 1e6);
  const answer = formNamed(c, 'challenge-authenticator').href;
  const reset = await body('code', 200, () => request(answer, { headers: json, body: JSON.stringify({ credentials: { passcode: code }, stateHandle: sh }) }));
  const done = await body('new password', 200, () => request(formNamed(reset, 'reset-authenticator').href, { headers: json, body: JSON.stringify({ credentials: { passcode: `bench-new-password-${serial.n++}-${randomBytes(4).toString('hex')}`, revokeSessions: false }, stateHandle: sh }) }));
  const t = await body('token', 200, () => request(`${s.issuer}/v1/token`, { headers: { ...form, authorization: basic(s.web) }, body: new URLSearchParams({ grant_type: 'interaction_code', interaction_code: interactionCode(done), code_verifier: verifier }).toString() }));
  await step('userinfo', 200, () => request(`${s.issuer}/v1/userinfo`, { method: 'GET', headers: { authorization: `Bearer ${t.access_token}` } }));
}
export const recoveryFlows = (s, smtp, concurrency, seconds) => run(recoveryFlow, { s, smtp, serial: { n: 0 } }, concurrency, seconds);
