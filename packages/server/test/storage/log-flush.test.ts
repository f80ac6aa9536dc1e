// Standard output is written asynchronously (log.ts); these prove that no line is lost for it when the process
// ends: by process.exit, by an uncaught exception, or by an abort right after a fatal line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const logModule = new URL('../../src/log.ts', import.meta.url).href;
const LINES = 20_000; // far more than a pipe holds, so most are still buffered when the process ends

/** Runs a script that logs LINES lines at info and then ends as `ending` says; resolves with what reached stdout. */
async function runAndEnd(ending: string): Promise<{ lines: string[]; code: number | null; signal: string | null }> {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-log-flush-'));
  const script = join(dir, 'child.mjs');
  writeFileSync(script, `import { createLogger } from ${JSON.stringify(logModule)};
const log = createLogger('info');
for (let i = 0; i < ${LINES}; i++) log.child({ reqId: 'r' + i }).info({ method: 'POST', path: '/oauth2/default/v1/token', status: 200, n: i }, 'request');
${ending}
`);
  try {
    const proc = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    proc.stdout.setEncoding('utf8').on('data', (d: string) => { out += d; });
    const [code, signal] = await new Promise<[number | null, string | null]>((r) => proc.once('close', (c, s) => r([c, s])));
    return { lines: out.split('\n').filter(Boolean), code, signal };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function assertEveryLine(lines: string[]) {
  const seen = lines.map((l) => JSON.parse(l)).filter((o) => o.msg === 'request').map((o) => o.n);
  assert.equal(seen.length, LINES);
  assert.deepEqual(seen.slice(0, 3), [0, 1, 2]);
  assert.equal(seen.at(-1), LINES - 1);
}

test('every buffered log line reaches stdout when the process calls process.exit', async () => {
  const r = await runAndEnd('process.exit(3);');
  assert.equal(r.code, 3);
  assertEveryLine(r.lines);
});

test('every buffered log line reaches stdout when the process dies of an uncaught exception', async () => {
  const r = await runAndEnd("setImmediate(() => { throw new Error('boom'); });");
  assert.equal(r.code, 1);
  assertEveryLine(r.lines);
});

test('a fatal line and every line before it reach stdout even when the process aborts right after it', async () => {
  const r = await runAndEnd("log.fatal('cannot go on'); process.abort();");
  assert.equal(r.signal, 'SIGABRT');
  assertEveryLine(r.lines);
  assert.equal(JSON.parse(r.lines.at(-1)!).msg, 'cannot go on');
});
