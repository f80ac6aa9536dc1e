// Opens the store named by a database URL. Only sqlite: for now; the Store interface is what a PostgreSQL
// implementation will provide.
import { ConfigError } from '../errors.js';
import type { Store } from './interfaces.js';
import { openSqliteStore } from './sqlite/index.js';

export function openStore(url: string): Store {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (!path) throw new ConfigError('the sqlite: database URL needs a path, e.g. sqlite:./data/gatehouse.db');
    return openSqliteStore(path);
  }
  throw new ConfigError(`unsupported database URL "${url}": use sqlite:<path>`);
}
