// npm run bench: throughput and latency figures for Gatehouse beside its peer, oidc-provider (not a test; prints
// Markdown for BENCHMARKS.md). Per-core figures mean one core: every server (Gatehouse, oidc-provider, the bare
// node:http reference) and every limit (argon2id, RS256) runs in its own process pinned to core 0
// (`taskset -c 0`, thread pool included); this process, the load generator, pins itself to core 1.
//   1. client_credentials tokens/s next to the one-core RS256 signing rate and to oidc-provider
//   2. JWKS and discovery requests/s next to oidc-provider's and a bare node:http hello world
//   3. the full sign-in flow — Gatehouse's IDX flow (interact -> introspect -> identify -> challenge/answer ->
//      token -> userinfo) and oidc-provider's code + PKCE flow (authorize -> login form -> login -> resume ->
//      token -> userinfo), each with one argon2id check — at concurrency 1 and 16, next to the one-core argon2id
//      rate; per-step p50/p99; heap per sign-in; log lines per sign-in; then the same at minimum argon2 cost.
//   4. BENCH_ONLY=mfa: full sign-in with password + TOTP and with password + a WebAuthn assertion on an any-2 app
//      (users enroll through the IDX flow in an unmeasured setup; the bench computes TOTP codes with otpauth on the
//      real clock — a code is good once per 30 s step per user, so each flow takes a user whose step is unspent
//      from a pool of BENCH_TOTP_USERS (400) — and signs assertions with its own P-256 key, bench/webauthn.mjs),
//      c=16, beside the password-only flow and the one-core argon2id rate of the same run.
//      BENCH_ONLY=recovery: password recovery start to tokens with a real SMTP server on loopback (bench/smtp.mjs;
//      the code is read from the delivered mail), c=16 and c=1. Both also run when BENCH_ONLY is unset.
//   5. BENCH_ONLY=compare: the password sign-in flow (c=16) of several server builds, alternated over BENCH_ROUNDS
//      (4) rounds: BENCH_COMPARE="before=/abs/dist/index.js,after=" (an empty path is this tree's build).
// BENCH_ONLY=http|idx|widget|mfa|recovery|compare runs one group; BENCH_SECONDS (5) is each run's length; BENCH_COST=owasp|minimum
// runs the flow at one argon2 cost (BENCH_LOW_COST_ONLY=1 is BENCH_COST=minimum); BENCH_PEER=0 leaves out the peer's
// flow; BENCH_PROFILE=dir writes a CPU profile of the Gatehouse server during the c=16 OWASP-cost
// flow run there and prints where its time goes; BENCH_LOG_LEVEL sets the server's log level (default info, as
// `gatehouse serve`: its stdout is a pipe this process drains, as a container runtime's log collector would).
// BENCH_SERVER_DIST=/abs/path/dist/index.js runs another build of the server (a before/after comparison).
import { spawn, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import autocannon from 'autocannon';
import { flows, enumerationTiming, peerFlows, closeAgent, enrollMfa, mfaFlows, recoveryFlows } from './bench/flows.mjs';
import { startSmtp } from './bench/smtp.mjs';
import { summariseProfile } from './bench/profile-summary.mjs';

const here = new URL('.', import.meta.url).pathname;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const SERVER_CORE = process.env.BENCH_SERVER_CORE ?? '0';
const LOAD_CORE = process.env.BENCH_LOAD_CORE ?? '1';
const LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? 'info';

// This process (and every thread it has or makes) is the load generator: core 1.
const NPROC = os.availableParallelism();
execFileSync('taskset', ['-a', '-p', '-c', LOAD_CORE, String(process.pid)], { stdio: 'ignore' });

/** A child process pinned to the server core. Its stdout, when drained, is counted in lines, then dropped. */
function child(file, { args = [], env = {}, execArgv = [], drain = false } = {}) {
  const proc = spawn('taskset', ['-c', SERVER_CORE, process.execPath, ...execArgv, here + file, ...args], {
    env: { ...process.env, ...env }, stdio: ['ignore', drain ? 'pipe' : 'inherit', 'inherit', 'ipc'],
  });
  proc.lines = 0;
  if (drain) proc.stdout.on('data', (b) => { for (let i = b.indexOf(10); i !== -1; i = b.indexOf(10, i + 1)) proc.lines++; });
  return new Promise((resolve, reject) => {
    proc.once('message', (info) => resolve({ proc, info }));
    proc.once('exit', (code) => reject(new Error(`${file} exited with ${code}`)));
  });
}
const ask = (proc, msg) => new Promise((r) => { proc.once('message', r); proc.send(msg); });
const stop = (proc) => new Promise((r) => { proc.removeAllListeners('exit'); proc.once('exit', r); proc.send('stop'); });
const measure = async (file, args) => { const { proc, info } = await child(file, { args: [JSON.stringify(args)] }); await new Promise((r) => proc.once('exit', r)); return info; };

async function cannon(opts) {
  const r = await autocannon({ connections: 32, duration: SECONDS, pipelining: 1, ...opts });
  if (r.non2xx || r.errors) throw new Error(`load run on ${opts.url} had ${r.non2xx} non-2xx and ${r.errors} errors`);
  return r.requests.average;
}

const f1 = (x) => x.toFixed(1);
const f0 = (x) => Math.round(x).toLocaleString('en-US');
const x2 = (a, b) => `${(a / b).toFixed(2)} ×`;
const aims = []; // [measure, value, aim, met]
const aim = (what, value, min) => aims.push([what, value, min, value >= min]);

const cpuModel = readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.*)$/m)?.[1] ?? os.cpus()[0]?.model ?? 'unknown CPU';
console.log(`# Gatehouse benchmark — ${new Date().toString()}\n`);
console.log(`${NPROC} cores (nproc), ${cpuModel}, Node ${process.version}, ${SECONDS} s per run, ` +
  `server core ${SERVER_CORE}, load generator core ${LOAD_CORE}, Gatehouse log level ${LOG_LEVEL}, load average before: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);

const only = (name) => !process.env.BENCH_ONLY || process.env.BENCH_ONLY === name;
const gatehouse = (lowCost, execArgv = [], env = {}) => child('bench/server-child.mjs', {
  env: { BENCH_LOW_COST: lowCost ? '1' : '', BENCH_LOG_LEVEL: LOG_LEVEL, ...env }, execArgv: ['--expose-gc', ...execArgv], drain: true,
});
const peer = (argon2) => child('bench/oidc-provider-child.mjs', { env: { BENCH_ARGON2: JSON.stringify(argon2) }, drain: true });

if (only('http')) {
  // 1 and 2: tokens and static documents, Gatehouse then oidc-provider, then the bare server; the signing limit last.
  const { proc: gh, info: s } = await gatehouse(true);
  const basic = (c) => 'Basic ' + Buffer.from(`${c.clientId}:${c.clientSecret}`).toString('base64');
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  const g = {
    tokens: await cannon({ url: `${s.issuer}/v1/token`, method: 'POST', headers: { ...form, authorization: basic(s.service) }, body: 'grant_type=client_credentials' }),
    jwks: await cannon({ url: `${s.issuer}/v1/keys` }),
    disco: await cannon({ url: `${s.issuer}/.well-known/openid-configuration` }),
  };
  await stop(gh);
  const { proc: op, info: p } = await peer(s.argon2);
  const o = {
    tokens: await cannon({ url: `${p.issuer}/token`, method: 'POST', headers: { ...form, authorization: basic(p.service) }, body: 'grant_type=client_credentials&scope=api%3Aread' }),
    jwks: await cannon({ url: `${p.issuer}/jwks` }),
    disco: await cannon({ url: `${p.issuer}/.well-known/openid-configuration` }),
  };
  await stop(op);
  const { proc: hello, info: h } = await child('bench/hello-child.mjs');
  const bare = await cannon({ url: `${h.baseUrl}/` });
  await stop(hello);
  const rs = await measure('bench/rs256-child.mjs', { seconds: SECONDS });

  console.log('## Tokens and static documents (one server core)\n');
  console.log('| measure | one-core limit | Gatehouse | oidc-provider 9 | Gatehouse ÷ limit | oidc-provider ÷ limit | Gatehouse ÷ oidc-provider |\n|---|---|---|---|---|---|---|');
  console.log(`| client_credentials tokens/s (JWT access token, RS256) | ${f0(rs.jose)} jose RS256 signatures/s | ${f0(g.tokens)} | ${f0(o.tokens)} | ${x2(g.tokens, rs.jose)} | ${x2(o.tokens, rs.jose)} | ${x2(g.tokens, o.tokens)} |`);
  console.log(`| JWKS requests/s | ${f0(bare)} bare node:http | ${f0(g.jwks)} | ${f0(o.jwks)} | ${x2(g.jwks, bare)} | ${x2(o.jwks, bare)} | ${x2(g.jwks, o.jwks)} |`);
  console.log(`| discovery requests/s | ${f0(bare)} bare node:http | ${f0(g.disco)} | ${f0(o.disco)} | ${x2(g.disco, bare)} | ${x2(o.disco, bare)} | ${x2(g.disco, o.disco)} |\n`);
  console.log(`RS256 limits on the server core: jose SignJWT (16 in flight, thread pool) ${f0(rs.jose)}/s; node:crypto synchronous sign ${f0(rs.raw)}/s (client_credentials ÷ that: ${x2(g.tokens, rs.raw)}).\n`);
  aim('client_credentials ÷ one-core RS256 (jose) rate', g.tokens / rs.jose, 0.7);
  aim('client_credentials ÷ oidc-provider', g.tokens / o.tokens, 1.2);
  aim('JWKS ÷ oidc-provider', g.jwks / o.jwks, 1.5);
  aim('discovery ÷ oidc-provider', g.disco / o.disco, 1.5);
}

// 3. The sign-in flow
const COST = process.env.BENCH_LOW_COST_ONLY ? 'minimum' : process.env.BENCH_COST;
for (const lowCost of !only('idx') ? [] : COST === 'minimum' ? [true] : COST === 'owasp' ? [false] : [false, true]) {
  const profileDir = !lowCost && process.env.BENCH_PROFILE;
  const { proc: gh, info: s } = await gatehouse(lowCost);
  const argon1 = await measure('bench/argon2-child.mjs', { argon2: s.argon2, concurrency: 1, seconds: SECONDS });
  await flows(s, 4, 1); // warm-up
  const heap0 = (await ask(gh, 'heap')).heap;
  const c1 = await flows(s, 1, SECONDS);
  if (profileDir) await ask(gh, 'profile-start');
  const lines0 = gh.lines;
  const c16 = await flows(s, 16, SECONDS);
  const linesPerFlow = (gh.lines - lines0) / c16.done;
  const profile = profileDir ? (await ask(gh, { profileStop: profileDir })).file : null;
  const heap1 = (await ask(gh, 'heap')).heap;
  const enumeration = lowCost ? null : await enumerationTiming(s);
  await stop(gh);
  const none = { rate: NaN, done: 0, steps: {} };
  let pc1 = none;
  let pc16 = none;
  if (process.env.BENCH_PEER !== '0') {
    const { proc: op, info: p } = await peer(s.argon2);
    await peerFlows(p, 4, 1);
    pc1 = await peerFlows(p, 1, SECONDS);
    pc16 = await peerFlows(p, 16, SECONDS);
    await stop(op);
  }

  const heapPerFlow = (heap1 - heap0) / (c1.done + c16.done);
  const cost = `argon2id m=${s.argon2.memoryCost} KiB, t=${s.argon2.timeCost}`;
  console.log(`## Full sign-in flow — ${lowCost ? 'argon2id at minimum cost' : 'argon2id at OWASP cost'} (${cost}), one server core\n`);
  console.log('| measure | Gatehouse (IDX) | oidc-provider 9 (code + PKCE) |\n|---|---|---|');
  console.log(`| argon2id verifications/s on the server core, no HTTP (the limit) | ${f1(argon1.rate)} (${f1(argon1.msPerHash)} ms each) | same |`);
  console.log(`| flows/s at concurrency 16 | ${f1(c16.rate)} — ${x2(c16.rate, argon1.rate)} the hash rate | ${f1(pc16.rate)} — ${x2(pc16.rate, argon1.rate)} the hash rate |`);
  console.log(`| flows/s at concurrency 1 | ${f1(c1.rate)} | ${f1(pc1.rate)} |`);
  console.log(`| Gatehouse ÷ oidc-provider at concurrency 16 | ${x2(c16.rate, pc16.rate)} | |`);
  console.log(`| heap per completed sign-in | ${f0(heapPerFlow)} bytes | (in-memory store) |`);
  console.log(`| log lines per sign-in (level ${LOG_LEVEL}) | ${linesPerFlow.toFixed(1)} | 0 (it does not log requests) |\n`);
  for (const [name, a, b] of [['Gatehouse', c1, c16], ...(pc1.done ? [['oidc-provider', pc1, pc16]] : [])]) {
    console.log(`| ${name} step | p50 c=1 (ms) | p99 c=1 (ms) | p50 c=16 (ms) | p99 c=16 (ms) |\n|---|---|---|---|---|`);
    for (const k of Object.keys(a.steps)) {
      console.log(`| ${k} | ${a.steps[k].p50.toFixed(2)} | ${a.steps[k].p99.toFixed(2)} | ${b.steps[k].p50.toFixed(2)} | ${b.steps[k].p99.toFixed(2)} |`);
    }
    console.log('');
  }
  if (enumeration) {
    console.log('Password-first identify, p50 of 40 sequential attempts each (no enumeration through timing):\n');
    console.log('| attempt | p50 (ms) |\n|---|---|');
    for (const [k, v] of Object.entries(enumeration)) console.log(`| ${k} | ${v.toFixed(2)} |`);
    console.log('');
  }
  if (profile) {
    console.log(`CPU profile of the Gatehouse server during the c=16 run (${profile}):\n`);
    console.log(summariseProfile(profile, c16.done));
  }
  if (!lowCost) {
    aim('sign-in flows/s (OWASP) ÷ one-core argon2id rate', c16.rate / argon1.rate, 0.85);
    if (pc16.done) aim('sign-in flows/s (OWASP) ÷ oidc-provider', c16.rate / pc16.rate, 1.3);
  }
}
// 4. Multi-factor sign-in (issue 9) and password recovery (issue 15), at the chosen argon2 cost (OWASP unless
// BENCH_COST=minimum), concurrency 16, beside the password-only flow and the argon2id rate of the same server run.
const stepTable = (name, r) => {
  console.log(`| ${name} step | p50 (ms) | p99 (ms) |\n|---|---|---|`);
  for (const [k, v] of Object.entries(r.steps)) console.log(`| ${k} | ${v.p50.toFixed(2)} | ${v.p99.toFixed(2)} |`);
  console.log('');
};
const extraCost = COST === 'minimum';
for (const mfa of [true, false].filter((m) => only(m ? 'mfa' : 'recovery'))) {
  const smtp = mfa ? null : await startSmtp();
  // TOTP: a code is accepted once per 30 s step per user, and each flow takes a user whose current step is unspent
  // (real clock, no time travel); the pool must outlast a run: BENCH_TOTP_USERS (default 400).
  const totpUsers = Number(process.env.BENCH_TOTP_USERS ?? 400);
  const { proc: gh, info: s } = await gatehouse(extraCost, [], mfa ? { BENCH_MFA_USERS: String(totpUsers) } : { BENCH_SMTP_URL: smtp.url, BENCH_RECOVERY_USERS: '64' });
  const argon1 = await measure('bench/argon2-child.mjs', { argon2: s.argon2, concurrency: 1, seconds: SECONDS });
  const cost = `argon2id m=${s.argon2.memoryCost} KiB, t=${s.argon2.timeCost}`;
  await flows(s, 4, 1); // warm-up
  const pw = await flows(s, 16, SECONDS);
  if (mfa) {
    const t0 = Date.now();
    const pool = await enrollMfa(s);
    const setup = (Date.now() - t0) / 1000;
    await mfaFlows(s, pool, 'webauthn', 4, 1); // warm-up
    const wa = await mfaFlows(s, pool, 'webauthn', 16, SECONDS);
    // Enrolling spent each TOTP user's code for that 30 s step: start the TOTP run in a later step (idle wait).
    const spent = Math.max(...pool.totp.map((u) => u.lastStep));
    while (Math.floor(Date.now() / 30_000) <= spent) await new Promise((r) => setTimeout(r, 30_000 - (Date.now() % 30_000) + 5));
    const totp = await mfaFlows(s, pool, 'totp', 16, SECONDS);
    await stop(gh);
    console.log(`## Multi-factor sign-in (issue 9) — ${cost}, one server core, concurrency 16\n`);
    console.log(`Setup (not measured): ${pool.totp.length} users enrolled Google Authenticator and ${pool.wa.length} a software passkey (P-256, 'none' attestation) through the IDX flow, in ${setup.toFixed(1)} s.\n`);
    console.log('| measure | flows/s | ÷ the hash rate | ÷ password-only flow |\n|---|---|---|---|');
    console.log(`| argon2id verifications/s on the server core, no HTTP (the limit) | ${f1(argon1.rate)} (${f1(argon1.msPerHash)} ms each) | | |`);
    console.log(`| password only (identifier-first app, 6 requests) | ${f1(pw.rate)} | ${x2(pw.rate, argon1.rate)} | 1.00 × |`);
    console.log(`| password + TOTP (any-2 app, 8 requests) | ${f1(totp.rate)} | ${x2(totp.rate, argon1.rate)} | ${x2(totp.rate, pw.rate)} |`);
    console.log(`| password + WebAuthn assertion (any-2 app, 8 requests) | ${f1(wa.rate)} | ${x2(wa.rate, argon1.rate)} | ${x2(wa.rate, pw.rate)} |\n`);
    console.log(pool.waits
      ? `**The TOTP figure is not valid**: ${pool.waits} flows waited for the next 30 s step because every one of the ${pool.totp.length} users had spent the current one (raise BENCH_TOTP_USERS).\n`
      : `No TOTP flow waited for a fresh 30 s step: the pool of ${pool.totp.length} users did not limit the rate.\n`);
    stepTable('password + TOTP', totp);
    stepTable('password + WebAuthn', wa);
  } else {
    await recoveryFlows(s, smtp, 4, 1); // warm-up
    const rec16 = await recoveryFlows(s, smtp, 16, SECONDS);
    const rec1 = await recoveryFlows(s, smtp, 1, SECONDS);
    await stop(gh);
    await smtp.close();
    console.log(`## Password recovery, start to tokens (issue 15) — ${cost}, one server core, SMTP on loopback\n`);
    console.log('| measure | flows/s | ÷ the hash rate | ÷ password sign-in flow |\n|---|---|---|---|');
    console.log(`| argon2id verifications/s on the server core, no HTTP | ${f1(argon1.rate)} (${f1(argon1.msPerHash)} ms each) | | |`);
    console.log(`| password sign-in at concurrency 16 (the same server) | ${f1(pw.rate)} | ${x2(pw.rate, argon1.rate)} | 1.00 × |`);
    console.log(`| recovery at concurrency 16 | ${f1(rec16.rate)} | ${x2(rec16.rate, argon1.rate)} | ${x2(rec16.rate, pw.rate)} |`);
    console.log(`| recovery at concurrency 1 | ${f1(rec1.rate)} | | |\n`);
    console.log(`Mails delivered: ${smtp.delivered}, two per flow (warm-up included): the code, and the notice that the password was changed (${smtp.notices}).\n`);
    stepTable('recovery (c=16)', rec16);
    stepTable('recovery (c=1)', rec1);
  }
}

// 5. Two or more server builds, alternated (issue 15: the flow rate before and after a restructure, in one run).
// BENCH_COMPARE="label=/abs/dist/index.js,label=/abs/dist/index.js" (a label alone, or `=` nothing, is this
// tree's build); BENCH_ROUNDS (4) rounds, the order reversed every other round; password sign-in at c=16.
if (process.env.BENCH_ONLY === 'compare') {
  const builds = (process.env.BENCH_COMPARE ?? 'this=').split(',').map((x) => { const [label, dist] = x.split('='); return { label, dist: dist || '', rates: [] }; });
  const rounds = Number(process.env.BENCH_ROUNDS ?? 4);
  const hash = [];
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 ? [...builds].reverse() : builds;
    for (const b of order) {
      const { proc: gh, info: s } = await gatehouse(extraCost, [], b.dist ? { BENCH_SERVER_DIST: b.dist } : {});
      if (b === builds[0]) hash.push((await measure('bench/argon2-child.mjs', { argon2: s.argon2, concurrency: 1, seconds: Math.min(SECONDS, 3) })).rate);
      await flows(s, 4, 1);
      b.rates.push((await flows(s, 16, SECONDS)).rate);
      await stop(gh);
    }
    console.error(`round ${r + 1}: ${builds.map((b) => `${b.label} ${f1(b.rates[r])}`).join(', ')}, load ${os.loadavg()[0].toFixed(2)}`);
  }
  const median = (xs) => { const a = [...xs].sort((x, y) => x - y); return a.length % 2 ? a[(a.length - 1) / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2; };
  const base = builds[0];
  console.log(`## Server builds compared — password sign-in (IDX, identifier-first) at concurrency 16, ${extraCost ? 'minimum' : 'OWASP'} argon2 cost, ${rounds} alternating rounds of ${SECONDS} s\n`);
  console.log(`argon2id verifications/s on the server core, measured before ${base.label} in each round: ${hash.map(f1).join(', ')}.\n`);
  console.log(`| build | flows/s per round | median | ÷ ${base.label} (medians) | ÷ ${base.label}, round by round (min–max) |\n|---|---|---|---|---|`);
  for (const b of builds) {
    const paired = b.rates.map((x, i) => x / base.rates[i]);
    console.log(`| ${b.label}${b.dist ? ` (${b.dist})` : ' (this tree)'} | ${b.rates.map(f1).join(', ')} | ${f1(median(b.rates))} | ${(median(b.rates) / median(base.rates)).toFixed(3)} × | ${Math.min(...paired).toFixed(3)}–${Math.max(...paired).toFixed(3)} × |`);
  }
  console.log(`\nLoad average after: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
}
closeAgent();

if (aims.length) {
  console.log('## Against the aims (this run)\n');
  console.log('| measure | value | aim | |\n|---|---|---|---|');
  for (const [what, v, min, met] of aims) console.log(`| ${what} | ${v.toFixed(3)} × | ≥ ${min} × | ${met ? 'met' : '**not met**'} |`);
  console.log(`\nLoad average after: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
}

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
