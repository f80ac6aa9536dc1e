// A Gatehouse for the benchmark, in its own process (its own core): starts on an ephemeral port with a
// fresh SQLite file, creates a service app, a web app and a user, and reports them to the parent over IPC.
// It logs at BENCH_LOG_LEVEL (the parent drains stdout); on request it profiles its CPU between two messages.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// BENCH_SERVER_DIST points at another build of the server (to compare a change with what came before).
const { startGatehouse, createApp, createUser } = await import(process.env.BENCH_SERVER_DIST ?? '../../packages/server/dist/index.js');

const lowCost = process.env.BENCH_LOW_COST === '1';
// BENCH_SMTP_URL: the bench's SMTP server (recovery). BENCH_MFA_USERS=n: an any-2 app, n more users for TOTP and
// 64 for WebAuthn (enrolled by the bench through the IDX flow). BENCH_RECOVERY_USERS=n: n users for recovery.
const mfaUsers = Number(process.env.BENCH_MFA_USERS || 0);
const recoveryUsers = Number(process.env.BENCH_RECOVERY_USERS || 0);
const dir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-'));
const gh = await startGatehouse({
  env: lowCost ? { GATEHOUSE_TEST: '1' } : {},
  // The sign-in rate limit stays on, so its store write is part of every measured password check, but high
  // enough that one load generator on one address is never refused.
  config: { port: 0, db: `sqlite:${join(dir, 'gh.db')}`, secret: 'bench-secret-bench-secret-bench-secret-0', logLevel: process.env.BENCH_LOG_LEVEL || 'info', signInRateLimitPerMinute: 1e9,
    ...(process.env.BENCH_SMTP_URL ? { smtpUrl: process.env.BENCH_SMTP_URL } : {}) },
  baseUrlFromPort: true,
});
const { store, passwords } = gh.deps;
const now = Date.now();
const service = await createApp(store, { name: 'bench-service', type: 'service' }, now);
const redirectUri = 'http://localhost:3000/interactioncode/callback';
const web = await createApp(store, { name: 'bench-web', type: 'web', redirectUris: [redirectUri], signIn: 'identifier-first' }, now);
const pf = await createApp(store, { name: 'bench-password-first', type: 'web', redirectUris: [redirectUri], signIn: 'password-first' }, now);
const password = 'bench-password-123';
for (let i = 0; i < 64; i++) await createUser(store, passwords, { email: `user${i}@bench.example`, password }, now);
const mfa = mfaUsers ? await createApp(store, { name: 'bench-mfa', type: 'web', redirectUris: [redirectUri], signIn: 'identifier-first', assurance: 'any-2' }, now) : null;
for (let i = 0; i < mfaUsers; i++) {
  await createUser(store, passwords, { email: `totp${i}@bench.example`, password }, now);
  if (i < 64) await createUser(store, passwords, { email: `wa${i}@bench.example`, password }, now);
}
for (let i = 0; i < recoveryUsers; i++) await createUser(store, passwords, { email: `rec${i}@bench.example`, password }, now);
const locked = await createUser(store, passwords, { email: 'locked@bench.example', password }, now);
await store.users.recordFailure(locked.id, now, { maxAttempts: 1, durationSeconds: 86400 });

const inspector = new Session();
process.on('message', async (m) => {
  if (m === 'profile-start') {
    inspector.connect();
    await inspector.post('Profiler.enable');
    await inspector.post('Profiler.setSamplingInterval', { interval: 200 });
    await inspector.post('Profiler.start');
    process.send({ started: true });
  } else if (m?.profileStop) {
    const { profile } = await inspector.post('Profiler.stop');
    const file = join(m.profileStop, `gatehouse-${Date.now()}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    inspector.disconnect();
    process.send({ file });
  } else if (m === 'heap') {
    globalThis.gc?.();
    process.send({ heap: process.memoryUsage().heapUsed });
  } else if (m === 'stop') {
    await gh.close();
    process.exit(0);
  }
});
process.send({
  ready: true, baseUrl: gh.baseUrl, issuer: gh.baseUrl + '/oauth2/default', redirectUri, password,
  service: { clientId: service.app.clientId, clientSecret: service.clientSecret },
  web: { clientId: web.app.clientId, clientSecret: web.clientSecret },
  pf: { clientId: pf.app.clientId },
  ...(mfa ? { mfa: { clientId: mfa.app.clientId, clientSecret: mfa.clientSecret }, mfaUsers } : {}), recoveryUsers,
  argon2: gh.deps.cfg.argon2, hashConcurrency: gh.deps.cfg.hashConcurrency,
});
process.on('disconnect', () => process.exit(0)); // the bench died: do not outlive it
