// A real `gatehouse serve` process (packages/server/bin/gatehouse.js, after npm run build) on an ephemeral loopback
// port with its own SQLite file in a temp dir, its data made with the real CLI; and a runner for the SDK test
// suites in other languages (interop/java, interop/go) that drive it.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/gatehouse.js', import.meta.url));
export const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const secret = 'interop-secret-interop-secret-interop-00';

export interface ServeProcess {
  baseUrl: string;
  /** The `default` authorization server: baseUrl + '/oauth2/default'. */
  issuer: string;
  /** Runs `gatehouse ARGS... --db <this server's database>` and returns its parsed JSON output. */
  cli(...args: string[]): any;
  /** The server's recent output, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/** `extraEnv` goes to the server and to its CLI, for example `GATEHOUSE_SMTP_URL` for the recovery tests. */
export async function startServeProcess(extraEnv: Record<string, string> = {}): Promise<ServeProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-interop-'));
  const db = `sqlite:${join(dir, 'gatehouse.db')}`;
  const env = { ...process.env, GATEHOUSE_TEST: '1', GATEHOUSE_SECRET: secret, GATEHOUSE_LOG_LEVEL: 'info', ...extraEnv };
  const cli = (...args: string[]) => {
    const r = spawnSync(process.execPath, [bin, ...args, '--db', db], { env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`gatehouse ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    return JSON.parse(r.stdout);
  };

  const proc: ChildProcess = spawn(process.execPath, [bin, 'serve', '--db', db, '--port', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let tail = '';
  const keep = (d: Buffer) => { tail = (tail + d.toString()).slice(-20_000); };
  proc.stderr!.on('data', keep);
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const baseUrl = await new Promise<string>((resolve, reject) => {
    let buf = '';
    let listening = false;
    proc.stdout!.on('data', (d: Buffer) => {
      keep(d);
      if (listening) return;
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop()!; // a partial last line waits for the rest
      for (const line of lines) {
        if (!line.includes('gatehouse listening')) continue;
        listening = true;
        resolve(JSON.parse(line).baseUrl);
      }
    });
    void exited.then((code) => reject(new Error(`gatehouse serve exited ${code} before listening:\n${tail}`)));
  });
  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    // Ready means the database answers too.
    for (let i = 0; ; i++) {
      const r = await fetch(`${baseUrl}/readyz`).catch(() => undefined);
      if (r?.status === 200) break;
      if (i >= 100) throw new Error(`gatehouse at ${baseUrl} never became ready:\n${tail}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } catch (e) {
    await stop();
    throw e;
  }
  return { baseUrl, issuer: `${baseUrl}/oauth2/default`, cli, output: () => tail, stop };
}

/**
 * The same sign-in story for every SDK: a user, and one web app per sign-in policy, made with the real CLI; and a
 * user of its own for each policy's password recovery (a reset changes the password, so it never is the sign-in user).
 */
export function createInteropFixtures(gh: ServeProcess) {
  const username = 'interop@example.com';
  const password = 'Correct-Horse-Battery-42';
  const redirectUri = 'http://localhost:8080/interactioncode/callback';
  gh.cli('user', 'create', '--email', username, '--password', password, '--first-name', 'Ada', '--last-name', 'Lovelace');
  const env: Record<string, string> = {
    GATEHOUSE_INTEROP_ISSUER: gh.issuer,
    GATEHOUSE_INTEROP_REDIRECT_URI: redirectUri,
    GATEHOUSE_INTEROP_USERNAME: username,
    GATEHOUSE_INTEROP_PASSWORD: password,
  };
  for (const policy of ['password-first', 'identifier-first']) {
    const key = policy.toUpperCase().replace('-', '_');
    const email = `recover-${policy}@example.com`;
    gh.cli('user', 'create', '--email', email, '--password', password, '--first-name', 'Grace', '--last-name', 'Hopper');
    env[`GATEHOUSE_INTEROP_${key}_RECOVERY_USERNAME`] = email;
  }
  for (const policy of ['password-first', 'identifier-first']) {
    const app = gh.cli('app', 'create', '--name', `interop ${policy}`, '--type', 'web', '--redirect-uri', redirectUri, '--sign-in', policy);
    const key = policy.toUpperCase().replace('-', '_');
    env[`GATEHOUSE_INTEROP_${key}_CLIENT_ID`] = app.client_id;
    env[`GATEHOUSE_INTEROP_${key}_CLIENT_SECRET`] = app.client_secret;
  }
  return env;
}

/** Runs a command to its end, collecting its output (never inherits: node's test reporter owns stdout). */
export function run(cmd: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv }): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => { out += d; });
    p.stderr.on('data', (d) => { out += d; });
    p.once('error', reject);
    p.once('close', (code) => resolve({ code, out }));
  });
}

/** Whether a command is on PATH. */
export function onPath(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}
