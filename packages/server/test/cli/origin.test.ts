// Trusted origins through the real CLI against a running instance: an added origin gets CORS at once, a
// removed one loses it at once; bad origins and unknown ones are refused with a clear message.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../support/start-server.js';
import { cliFor } from '../support/cli.js';

let gh: TestServer;
let run: ReturnType<typeof cliFor>;
before(async () => { gh = await startServer(); run = cliFor(gh); });
after(() => gh.close());

const preflight = (origin: string) => fetch(`${gh.baseUrl}/idp/idx/introspect`, {
  method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
});

test('origin add grants CORS at once; origin remove takes it away at once', async () => {
  const origin = 'https://shop.example.com';
  assert.equal((await preflight(origin)).headers.get('access-control-allow-origin'), null);
  const added = (await run('origin', 'add', '--origin', origin));
  assert.equal(added.status, 0, added.stderr);
  assert.ok(JSON.parse(added.stdout).includes(origin));
  const allowed = await preflight(origin);
  assert.equal(allowed.headers.get('access-control-allow-origin'), origin);
  assert.equal(allowed.headers.get('access-control-allow-credentials'), 'true');

  const removed = (await run('origin', 'remove', '--origin', origin));
  assert.equal(removed.status, 0, removed.stderr);
  assert.ok(!JSON.parse(removed.stdout).includes(origin));
  assert.equal((await preflight(origin)).headers.get('access-control-allow-origin'), null);
  assert.deepEqual((await gh.gatehouse.deps.store.events.list({ limit: 5, type: 'origin.remove' }))[0]?.detail, { origin });
});

test('origin add and remove refuse what is not an origin, and remove refuses an origin that is not trusted', async () => {
  for (const bad of ['https://shop.example.com/path', 'shop.example.com', 'https://shop.example.com/', 'javascript:alert(1)']) {
    const r = (await run('origin', 'add', '--origin', bad));
    assert.notEqual(r.status, 0, bad);
    assert.match(r.stderr, /must be an origin/, bad);
  }
  const r = (await run('origin', 'remove', '--origin', 'https://never.example.com'));
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /is not a trusted origin/);
  assert.equal((await run('origin', 'add')).status, 2, '--origin is required');
});
