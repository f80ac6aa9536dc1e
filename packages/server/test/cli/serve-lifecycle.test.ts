// Start-up and shutdown never leave a request hanging: before the dependencies are built every request is
// answered 503 with Retry-After (and /readyz says not ready); at shutdown a request in flight finishes, a new
// one on an open connection gets 503, idle keep-alive connections are closed, and `gatehouse serve` exits
// well within its 10 s bound.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createServer, connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startGatehouse } from '../../src/app.js';
import { openStore } from '../../src/store/open.js';
import { createLogger } from '../../src/log.js';

const bin = fileURLToPath(new URL('../../bin/gatehouse.js', import.meta.url));
const secret = 'lifecycle-secret-lifecycle-secret-000000';

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

test('while the dependencies are still being built, every request is answered 503 with Retry-After; then 200', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-life-'));
  const real = await openStore(`sqlite:${join(dir, 'gh.db')}`);
  let release!: () => void;
  const gate = new Promise<void>((r) => { release = r; });
  // The real store, with its first read held back: start-up is parked exactly between listen() and ready.
  const store = { ...real, servers: { ...real.servers, list: async () => { await gate; return real.servers.list(); } } };
  const port = await freePort();
  const starting = startGatehouse({ env: { GATEHOUSE_TEST: '1' }, store, config: { port, secret, logLevel: 'silent' }, logger: createLogger('silent') });
  try {
    // Poll until the socket accepts: a refused connection is an answer too, a hang would time the test out.
    let early: Response | undefined;
    while (!early) early = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined);
    assert.equal(early.status, 503);
    assert.equal(early.headers.get('retry-after'), '1');
    assert.equal((await early.json()).error, 'temporarily_unavailable');
    assert.equal((await fetch(`http://127.0.0.1:${port}/readyz`)).status, 503, '/readyz is 503 until the server can serve');
    assert.equal((await fetch(`http://127.0.0.1:${port}/oauth2/default/.well-known/openid-configuration`)).status, 503);
    release();
    const gh = await starting;
    try {
      assert.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200);
      assert.equal((await fetch(`http://127.0.0.1:${port}/readyz`)).status, 200);
    } finally {
      await gh.close();
    }
  } finally {
    release();
    await real.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('SIGTERM: a request in flight finishes, idle keep-alive connections close, and serve exits 0 within the bound', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-life-'));
  const proc = spawn(process.execPath, [bin, 'serve', '--db', `sqlite:${join(dir, 'gh.db')}`, '--port', '0'],
    { env: { ...process.env, GATEHOUSE_TEST: '1', GATEHOUSE_SECRET: secret, GATEHOUSE_LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let buf = '';
      proc.stdout.on('data', (d) => { buf += d; const m = /"port":(\d+)/.exec(buf); if (m) resolve(Number(m[1])); });
      void exited.then((c) => reject(new Error(`serve exited ${c}`)));
    });
    // Idle keep-alive connections, as a pooling client or a proxy leaves them.
    const agent = new Agent({ keepAlive: true, maxSockets: 4 });
    const get = (path: string) => new Promise<number>((resolve, reject) => {
      request({ host: '127.0.0.1', port, path, agent }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode!)); }).on('error', reject).end();
    });
    assert.deepEqual(await Promise.all([get('/healthz'), get('/healthz'), get('/healthz')]), [200, 200, 200]);

    // A request in flight: headers sent, body still coming when the signal arrives.
    const body = 'grant_type=client_credentials&scope=x';
    const inFlight = connect(port, '127.0.0.1');
    await new Promise<void>((r) => inFlight.once('connect', () => r()));
    let answer = '';
    inFlight.on('data', (d) => { answer += d; });
    const inFlightDone = new Promise<void>((r) => inFlight.once('close', () => r()));
    // Expect: 100-continue makes the server say when it has read the headers: from then on the request is in flight.
    inFlight.write(`POST /oauth2/default/v1/token HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: 100-continue\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n`);
    while (!answer.includes('100 Continue')) await new Promise((r) => inFlight.once('data', r));
    inFlight.write(body.slice(0, 5));

    const signalled = Date.now();
    proc.kill('SIGTERM');
    // The server is draining once a new request on the open connection gets 503.
    inFlight.write(body.slice(5));
    await inFlightDone;
    assert.match(answer, /HTTP\/1\.1 (401|400) /, 'the request in flight got its real answer');
    assert.equal(await exited, 0);
    assert.ok(Date.now() - signalled < 10_000, 'serve exits within 10 s with idle keep-alive connections open');
    agent.destroy();
  } finally {
    if (proc.exitCode === null) proc.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});

test('while draining, a new request on a connection that is still open is answered 503, not dropped', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-life-'));
  const gh = await startGatehouse({ env: { GATEHOUSE_TEST: '1' }, config: { port: 0, db: `sqlite:${join(dir, 'gh.db')}`, secret, logLevel: 'silent' }, logger: createLogger('silent') });
  try {
    const sock = connect(gh.port, '127.0.0.1');
    await new Promise<void>((r) => sock.once('connect', () => r()));
    let answer = '';
    sock.on('data', (d) => { answer += d; });
    const closed = new Promise<void>((r) => sock.once('close', () => r()));
    // Headers of a request whose body is still coming keep the connection busy through the start of close().
    sock.write('POST /oauth2/default/v1/token HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 3\r\n\r\n');
    while (!answer.includes('100 Continue')) await new Promise((r) => sock.once('data', r));
    const closing = gh.close();
    // The rest of the body, then a second request pipelined on the same connection.
    sock.write('a=b');
    sock.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    await closing;
    await closed;
    const statuses = [...answer.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => Number(m[1])).filter((s) => s !== 100);
    assert.equal(statuses.length, 2, answer);
    assert.ok(statuses[0]! < 500, 'the request in flight got its real answer');
    assert.equal(statuses[1], 503, 'the next request on the same connection is 503');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
