// Expired rows are swept; live transactions and recently consumed codes stay.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../support/start-server.js';
import { interact, introspect } from '../support/idx-client.js';

test('sweep deletes transactions an hour past expiry and keeps live ones', async () => {
  const gh = await startServer();
  try {
    const redirectUri = 'http://localhost:3000/cb';
    const { clientId } = await gh.createApp({ name: 'x', redirectUris: [redirectUri] });
    const old = await interact(gh, { clientId, redirectUri });
    const store = gh.gatehouse.deps.store;
    const removed = await store.sweep(gh.clock.now() + 2 * 3600_000);
    assert.ok(removed >= 1);
    const fresh = await interact(gh, { clientId, redirectUri });
    assert.equal((await store.sweep(gh.clock.now())), 0);
    assert.equal((await introspect(gh, { interactionHandle: fresh.interactionHandle })).status, 200);
    assert.equal((await introspect(gh, { interactionHandle: old.interactionHandle })).status, 401);
  } finally {
    await gh.close();
  }
});
