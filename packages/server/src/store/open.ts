// Opens the store named by a database URL: sqlite:<path>[?busy_timeout=ms] or
// postgres://user@host:port/db[?schema=name].
import { ConfigError } from '../errors.js';
import type { Store } from './interfaces.js';
import { openSqliteStore } from './sqlite/index.js';
import { openPostgresStore } from './postgres/index.js';

export async function openStore(url: string): Promise<Store> {
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    const u = new URL(url);
    const schema = u.searchParams.get('schema') ?? undefined;
    u.searchParams.delete('schema');
    return openPostgresStore(u.href, { schema });
  }
  if (url.startsWith('sqlite:')) {
    // sqlite:<path>[?busy_timeout=<ms>]; the busy timeout is how long a write waits for another writer.
    const path = sqlitePath(url)!;
    const params = new URLSearchParams(url.split('?')[1] ?? '');
    const busy = params.has('busy_timeout') ? Number(params.get('busy_timeout')) : 5000;
    if (!Number.isInteger(busy) || busy < 0) throw new ConfigError('busy_timeout in the sqlite: URL must be a number of milliseconds');
    return openSqliteStore(path, { busyTimeoutMs: busy });
  }
  throw new ConfigError(`unsupported database URL "${url}": use sqlite:<path> or postgres://…`);
}

/** The file a sqlite: URL names (`:memory:` for none), or null for any other URL. */
export function sqlitePath(url: string): string | null {
  if (!url.startsWith('sqlite:')) return null;
  const path = url.slice('sqlite:'.length).split('?')[0]!.replace(/^\/\/(?=\/)/, '');
  if (!path) throw new ConfigError('the sqlite: database URL needs a path, e.g. sqlite:./data/gatehouse.db');
  return path;
}
