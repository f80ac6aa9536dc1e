// Boots a real Gatehouse on an ephemeral loopback port with a fresh SQLite file, and creates data through
// the same admin code the CLI uses. `clock` moves time for expiry tests without sleeping.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGatehouse, type Gatehouse } from '../../src/app.js';
import { createApp, createUser, type NewApp, type NewUser } from '../../src/identity/admin.js';
import { createLogger } from '../../src/log.js';
import type { Config } from '../../src/config.js';

export interface TestClock {
  now(): number;
  advance(ms: number): void;
}

export interface TestServer {
  baseUrl: string;
  /** The default custom authorization server's issuer: baseUrl + '/oauth2/default'. */
  issuer: string;
  gatehouse: Gatehouse;
  clock: TestClock;
  dir: string;
  dbPath: string;
  createUser(u: NewUser): Promise<{ id: string; login: string; email: string }>;
  createApp(a: Omit<NewApp, 'type'> & { type?: NewApp['type']; redirectUris?: string[] }): Promise<{ clientId: string; clientSecret?: string }>;
  close(): Promise<void>;
}

export async function startServer(opts: { config?: Partial<Config>; dir?: string; keepDir?: boolean } = {}): Promise<TestServer> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'gatehouse-test-'));
  const dbPath = join(dir, 'gatehouse.db');
  let offset = 0;
  const clock: TestClock = { now: () => Date.now() + offset, advance: (ms) => { offset += ms; } };
  const gatehouse = await startGatehouse({
    env: { GATEHOUSE_TEST: '1' },
    config: { port: 0, db: `sqlite:${dbPath}`, secret: 'test-secret-test-secret-test-secret-0123', logLevel: process.env.GATEHOUSE_LOG_LEVEL ?? 'silent',
      // Every test's sign-ins come from 127.0.0.1; the limit stays on (its write runs) but never refuses them
      // unless a test sets its own (test/idx/rate-limit.test.ts).
      signInRateLimitPerMinute: 1e9, ...opts.config },
    baseUrlFromPort: !opts.config?.baseUrl,
    now: clock.now,
    logger: createLogger(process.env.GATEHOUSE_LOG_LEVEL ?? 'silent'),
  });
  const { deps } = gatehouse;
  return {
    baseUrl: gatehouse.baseUrl,
    issuer: gatehouse.baseUrl + '/oauth2/default',
    gatehouse,
    clock,
    dir,
    dbPath,
    async createUser(u) {
      const user = await createUser(deps.store, deps.passwords, u, clock.now());
      return { id: user.id, login: user.login, email: user.email };
    },
    async createApp(a) {
      const { app, clientSecret } = await createApp(deps.store, { type: 'web', ...a, name: a.name ?? 'Test App' } as NewApp, clock.now());
      return { clientId: app.clientId, clientSecret };
    },
    async close() {
      await gatehouse.close();
      if (!opts.keepDir && !opts.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
