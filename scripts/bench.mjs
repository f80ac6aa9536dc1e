// npm run bench: throughput and latency figures for Gatehouse (not a test; prints Markdown for BENCHMARKS.md).
// The server runs in its own process (one core); load is generated from this process (the other core).
//   1. client_credentials tokens/s next to node:crypto's raw RS256 signing rate on one core
//   2. JWKS and discovery requests/s next to a bare node:http hello world
//   3. the full IDX flow (interact -> introspect -> identify -> challenge/answer -> token -> userinfo):
//      flows/s at concurrency 16 next to the bare argon2id verification rate; per-step p50/p99 at
//      concurrency 1 and 16; heap per completed sign-in; then the same with argon2 at minimum cost.
import { fork } from 'node:child_process';
import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import http from 'node:http';
import os from 'node:os';
import autocannon from 'autocannon';

const here = new URL('.', import.meta.url).pathname;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);

function child(file, { args = [], env = {}, execArgv = [] } = {}) {
  const proc = fork(here + file, args, { env: { ...process.env, ...env }, execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    proc.once('message', (info) => resolve({ proc, info }));
    proc.once('exit', (code) => reject(new Error(`${file} exited with ${code}`)));
  });
}
const ask = (proc, msg) => new Promise((r) => { proc.once('message', r); proc.send(msg); });
const stop = (proc) => new Promise((r) => { proc.once('exit', r); proc.send('stop'); });

function rawSigningRate(seconds = 2) {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const data = Buffer.from('eyJhbGciOiJSUzI1NiJ9.' + randomBytes(300).toString('base64url'));
  let n = 0;
  const end = Date.now() + seconds * 1000;
  const t0 = process.hrtime.bigint();
  while (Date.now() < end) { sign('sha256', data, privateKey); n++; }
  return n / (Number(process.hrtime.bigint() - t0) / 1e9);
}

async function cannon(opts) {
  const r = await autocannon({ connections: 32, duration: SECONDS, pipelining: 1, ...opts });
  if (r.non2xx || r.errors) throw new Error(`load run had ${r.non2xx} non-2xx and ${r.errors} errors`);
  return r.requests.average;
}

// ---- a small keep-alive HTTP client for the multi-step flow
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
function request(url, { method = 'POST', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, agent }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

async function oneFlow(s, userIndex, timings) {
  const step = async (name, fn) => {
    const t0 = process.hrtime.bigint();
    const r = await fn();
    (timings[name] ??= []).push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (r.status !== 200) throw new Error(`${name}: ${r.status} ${r.body.slice(0, 200)}`);
    return JSON.parse(r.body);
  };
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  const json = { 'content-type': 'application/json' };
  const it = await step('interact', () => request(`${s.issuer}/v1/interact`, { headers: form, body: new URLSearchParams({ client_id: s.web.clientId, redirect_uri: s.redirectUri, scope: 'openid profile email', state: 'bench-state', code_challenge: challenge, code_challenge_method: 'S256' }).toString() }));
  const a = await step('introspect', () => request(`${s.baseUrl}/idp/idx/introspect`, { headers: { 'content-type': 'application/ion+json; okta-version=1.0.0' }, body: JSON.stringify({ interactionHandle: it.interaction_handle }) }));
  const b = await step('identify', () => request(a.remediation.value[0].href, { headers: json, body: JSON.stringify({ identifier: `user${userIndex}@bench.example`, stateHandle: a.stateHandle }) }));
  const c = await step('challenge/answer', () => request(b.remediation.value[0].href, { headers: json, body: JSON.stringify({ credentials: { passcode: s.password }, stateHandle: a.stateHandle }) }));
  const code = c.successWithInteractionCode.value.find((f) => f.name === 'interaction_code').value;
  const basic = 'Basic ' + Buffer.from(`${s.web.clientId}:${s.web.clientSecret}`).toString('base64');
  const t = await step('token', () => request(`${s.issuer}/v1/token`, { headers: { ...form, authorization: basic }, body: new URLSearchParams({ grant_type: 'interaction_code', interaction_code: code, code_verifier: verifier }).toString() }));
  await step('userinfo', () => request(`${s.issuer}/v1/userinfo`, { method: 'GET', headers: { authorization: `Bearer ${t.access_token}` } }));
}

async function flows(s, concurrency, seconds) {
  const timings = {};
  let done = 0;
  const end = Date.now() + seconds * 1000;
  const t0 = process.hrtime.bigint();
  await Promise.all(Array.from({ length: concurrency }, async (_, w) => {
    while (Date.now() < end) { await oneFlow(s, w % 64, timings); done++; }
  }));
  const elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
  const pct = (xs, p) => { const a = [...xs].sort((x, y) => x - y); return a[Math.min(a.length - 1, Math.floor(p * a.length))]; };
  const steps = Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, { p50: pct(v, 0.5), p99: pct(v, 0.99) }]));
  return { rate: done / elapsed, done, steps };
}

const f1 = (x) => x.toFixed(1);
const f0 = (x) => Math.round(x).toLocaleString('en-US');

/** p50 of the password step for an unknown user, a wrong password, a locked user and the right password. */
async function enumerationTiming(s) {
  const out = {};
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  const json = { 'content-type': 'application/json' };
  for (const [label, identifier, password] of [['unknown user', 'nobody@bench.example', s.password], ['wrong password', 'user1@bench.example', 'wrong-password-1'], ['locked user', 'locked@bench.example', s.password], ['right password', 'user2@bench.example', s.password]]) {
    const times = [];
    for (let i = 0; i < 40; i++) {
      const challenge = createHash('sha256').update(randomBytes(32).toString('base64url')).digest('base64url');
      const it = JSON.parse((await request(`${s.issuer}/v1/interact`, { headers: form, body: new URLSearchParams({ client_id: s.pf.clientId, redirect_uri: s.redirectUri, scope: 'openid', state: 's', code_challenge: challenge, code_challenge_method: 'S256' }).toString() })).body);
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

async function idxSection(lowCost) {
  // BENCH_PROFILE=dir writes a CPU profile of the server process there (open it in Chrome DevTools).
  const prof = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
  const { proc, info: s } = await child('bench/server-child.mjs', { env: lowCost ? { BENCH_LOW_COST: '1' } : {}, execArgv: ['--expose-gc', ...prof] });
  const { info: argon } = await child('bench/argon2-child.mjs', { args: [JSON.stringify({ argon2: s.argon2, concurrency: s.hashConcurrency, seconds: SECONDS })] });
  const { info: argon1 } = await child('bench/argon2-child.mjs', { args: [JSON.stringify({ argon2: s.argon2, concurrency: 1, seconds: SECONDS })] });
  await flows(s, 4, 1); // warm-up
  const heap0 = (await ask(proc, 'heap')).heap;
  const c1 = await flows(s, 1, SECONDS);
  const c16 = await flows(s, 16, SECONDS);
  const heap1 = (await ask(proc, 'heap')).heap;
  const enumeration = lowCost ? null : await enumerationTiming(s);
  await stop(proc);
  return { s, argon, argon1, c1, c16, enumeration, heapPerFlow: (heap1 - heap0) / (c1.done + c16.done) };
}

const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
console.log(`# Gatehouse benchmark — ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} × ${cpu}, Node ${process.version}, ${SECONDS} s per run\n`);

// BENCH_ONLY=http|idx|widget runs one group of sections.
const only = (name) => !process.env.BENCH_ONLY || process.env.BENCH_ONLY === name;
if (only('http')) {
// 1. client_credentials
const raw = rawSigningRate();
const { proc: gh, info: s } = await child('bench/server-child.mjs', { env: { BENCH_LOW_COST: '1' } });
const basic = 'Basic ' + Buffer.from(`${s.service.clientId}:${s.service.clientSecret}`).toString('base64');
const tokens = await cannon({ url: `${s.issuer}/v1/token`, method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic }, body: 'grant_type=client_credentials' });
console.log('## Tokens (one server core)\n');
console.log('| measure | per second | ratio |\n|---|---|---|');
console.log(`| node:crypto raw RS256 signing (2048-bit), one core | ${f0(raw)} | 1.00 |`);
console.log(`| client_credentials tokens | ${f0(tokens)} | ${(tokens / raw).toFixed(2)} (aim ≥ 0.70) |\n`);

// 2. JWKS / discovery
const jwks = await cannon({ url: `${s.issuer}/v1/keys` });
const disco = await cannon({ url: `${s.issuer}/.well-known/openid-configuration` });
await stop(gh);
const { proc: hello, info: h } = await child('bench/hello-child.mjs');
const bare = await cannon({ url: `${h.baseUrl}/` });
await stop(hello);
console.log('## Static documents\n');
console.log('| endpoint | requests/s | ratio to bare node:http |\n|---|---|---|');
console.log(`| bare node:http hello world | ${f0(bare)} | 1.00 |`);
console.log(`| JWKS | ${f0(jwks)} | ${(jwks / bare).toFixed(2)} (aim ≥ 0.5) |`);
console.log(`| discovery | ${f0(disco)} | ${(disco / bare).toFixed(2)} (aim ≥ 0.5) |\n`);
}

// 3. IDX flow
for (const lowCost of !only('idx') ? [] : process.env.BENCH_LOW_COST_ONLY ? [true] : [false, true]) {
  const r = await idxSection(lowCost);
  const cost = `argon2id m=${r.s.argon2.memoryCost} KiB, t=${r.s.argon2.timeCost}, ${r.s.hashConcurrency} concurrent`;
  console.log(`## Full IDX sign-in flow — ${lowCost ? 'argon2id at minimum cost' : 'argon2id at OWASP cost'} (${cost})\n`);
  console.log('| measure | value |\n|---|---|');
  console.log(`| bare argon2id verifications/s, one core | ${f1(r.argon1.rate)} (${f1(r.argon1.msPerHash)} ms each) |`);
  console.log(`| bare argon2id verifications/s, ${r.s.hashConcurrency} concurrent (both cores, no HTTP, no load generator) | ${f1(r.argon.rate)} |`);
  console.log(`| flows/s at concurrency 16 | ${f1(r.c16.rate)} — ${(r.c16.rate / r.argon1.rate).toFixed(2)} × the one-core hash rate, ${(r.c16.rate / r.argon.rate).toFixed(2)} × the all-core rate${lowCost ? ' (aim ≥ 730 flows/s)' : ' (aim ≥ 0.85 ×)'} |`);
  console.log(`| flows/s at concurrency 1 | ${f1(r.c1.rate)} |`);
  console.log(`| heap per completed sign-in | ${f0(r.heapPerFlow)} bytes |\n`);
  console.log('| step | p50 c=1 (ms) | p99 c=1 (ms) | p50 c=16 (ms) | p99 c=16 (ms) |\n|---|---|---|---|---|');
  for (const k of Object.keys(r.c1.steps)) {
    const a = r.c1.steps[k];
    const b = r.c16.steps[k];
    console.log(`| ${k} | ${a.p50.toFixed(2)} | ${a.p99.toFixed(2)} | ${b.p50.toFixed(2)} | ${b.p99.toFixed(2)} |`);
  }
  console.log('');
  if (r.enumeration) {
    console.log('Password-first identify, p50 of 40 sequential attempts each (no enumeration through timing):\n');
    console.log('| attempt | p50 (ms) |\n|---|---|');
    for (const [k, v] of Object.entries(r.enumeration)) console.log(`| ${k} | ${v.toFixed(2)} |`);
    console.log('');
  }
}
agent.destroy();

// 4. The widget (needs Debian's chromium for the timing).
if (only('widget')) {
  const { widgetBench } = await import('./bench/widget.mjs');
  const w = await widgetBench();
  console.log('## Sign-in widget\n');
  console.log('| | Gatehouse widget | Okta Sign-In Widget 7.49 |\n|---|---|---|');
  console.log(`| script, minified | ${f0(w.sizes.ours.js)} bytes | ${f0(w.sizes.okta.js)} bytes |`);
  console.log(`| script, gzipped | ${f0(w.sizes.ours.jsGz)} bytes | ${f0(w.sizes.okta.jsGz)} bytes |`);
  console.log(`| stylesheet, gzipped | ${f0(w.sizes.ours.cssGz)} bytes | ${f0(w.sizes.okta.cssGz)} bytes |`);
  if (w.timing) console.log(`| navigation to an interactive form (median of 7, same server, loopback) | ${f1(w.timing.ours)} ms | ${f1(w.timing.okta)} ms |`);
  console.log('');
}
