// The Store contract on a fresh SQLite file per case.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import { storeContract } from './contract.js';

storeContract('sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-store-'));
  const store = openSqliteStore(join(dir, 'gh.db'));
  return { store, close: async () => { await store.close(); rmSync(dir, { recursive: true, force: true }); } };
});
