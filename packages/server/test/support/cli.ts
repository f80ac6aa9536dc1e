// The real `gatehouse` bin, run as its own process against a test server's database, with the secret
// start-server.ts boots every test server with (so the CLI can open the signing keys).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TestServer } from './start-server.js';

const bin = fileURLToPath(new URL('../../bin/gatehouse.js', import.meta.url));

export function cliFor(gh: TestServer) {
  return (...args: string[]) => spawnSync(process.execPath, [bin, ...args, '--db', `sqlite:${gh.dbPath}`], {
    env: { ...process.env, GATEHOUSE_TEST: '1', GATEHOUSE_SECRET: 'test-secret-test-secret-test-secret-0123' }, encoding: 'utf8',
  });
}
