// Opens the store named by a database URL. Only sqlite: for now; the Store interface is what a PostgreSQL
// implementation will provide.
import { ConfigError } from '../errors.js';
import type { Store } from './interfaces.js';
import { openSqliteStore } from './sqlite/index.js';

export function openStore(url: string): Store {
  if (url.startsWith('sqlite:')) {
    // sqlite:<path>[?busy_timeout=<ms>]; the busy timeout is how long a write waits for another writer.
    const [rawPath, query = ''] = url.slice('sqlite:'.length).split('?');
    const path = rawPath!.replace(/^\/\/(?=\/)/, '');
    if (!path) throw new ConfigError('the sqlite: database URL needs a path, e.g. sqlite:./data/gatehouse.db');
    const params = new URLSearchParams(query);
    const busy = params.has('busy_timeout') ? Number(params.get('busy_timeout')) : 5000;
    if (!Number.isInteger(busy) || busy < 0) throw new ConfigError('busy_timeout in the sqlite: URL must be a number of milliseconds');
    return openSqliteStore(path, { busyTimeoutMs: busy });
  }
  throw new ConfigError(`unsupported database URL "${url}": use sqlite:<path>`);
}
