// The real `gatehouse` bin, run as its own process against a test server's database, with the secret
// start-server.ts boots every test server with (so the CLI can open the signing keys). Asynchronous on
// purpose: the test server lives in this process, and a blocking spawn would freeze its event loop while
// keep-alive sockets time out under it, so the next request would meet a socket the server had closed.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TestServer } from './start-server.js';

const bin = fileURLToPath(new URL('../../bin/gatehouse.js', import.meta.url));

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the bin with args (and `--db` when given) to completion; never rejects on a non-zero exit. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, GATEHOUSE_TEST: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

export function cliFor(gh: TestServer) {
  return (...args: string[]) => runCli([...args, '--db', `sqlite:${gh.dbPath}`], { GATEHOUSE_SECRET: 'test-secret-test-secret-test-secret-0123' });
}
