// SQLite under the SQL store (better-sqlite3: WAL, foreign keys, busy timeout). The statements are in
// ../sql/store.ts; this file opens the database, prepares each SQL text once, runs write transactions as
// BEGIN IMMEDIATE, and says which failures mean the database is unavailable.
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { StoreUnavailable } from '../../errors.js';
import type { Store } from '../interfaces.js';
import type { Db, Params, Row } from '../sql/db.js';
import { sqlStore } from '../sql/store.js';
import { migrate } from './migrate.js';

export function openSqliteStore(path: string, opts: { busyTimeoutMs?: number } = {}): Store {
  if (path !== ':memory:') {
    // The database holds password hashes and sealed keys: owner-only, as the secret file is. Created here, empty,
    // before SQLite opens it; SQLite gives the -wal and -shm files the database file's mode.
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    closeSync(openSync(path, 'a', 0o600));
  }
  const busy = opts.busyTimeoutMs ?? 5000;
  const db = new Database(path, { timeout: busy });
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma(`busy_timeout = ${busy}`);
  migrate(db);
  return sqlStore(sqliteDb(db));
}

const NO_PARAMS: Params = [];

/** The Sql of db.ts, answered synchronously. */
interface SyncSql {
  all<T = Row>(sql: string, params?: Params): T[];
  get<T = Row>(sql: string, params?: Params): T | undefined;
  run(sql: string, params?: Params): number;
}

/**
 * Settles when the write transaction open in this process ends; null when none is open. better-sqlite3 is
 * synchronous and a transaction here spans awaits (microtasks only: nothing inside waits for I/O), so while one
 * is open every other statement in the process waits for it, on any connection: on the same connection it would
 * land inside someone else's transaction, and on another connection to the same file (two instances in one
 * process) a write would block the thread in SQLite's busy wait while the lock holder can never finish.
 */
let open: Promise<void> | null = null;
const afterOpen = async <T>(fn: () => T): Promise<T> => {
  while (open) await open;
  return fn();
};

/** The Db over one better-sqlite3 connection; statements run synchronously, write transactions one at a time. */
function sqliteDb(db: Database.Database): Db {
  // Statements are prepared once per SQL text: preparing is parsing and planning, repeated for nothing.
  const statements = new Map<string, Database.Statement>();
  const prepared = (sql: string) => {
    let st = statements.get(sql);
    if (!st) statements.set(sql, (st = db.prepare(sql)));
    return st;
  };

  const inside: SyncSql = {
    all(sql, params = NO_PARAMS) {
      try { return prepared(sql).all(params) as any[]; } catch (e) { throw classify(e); }
    },
    get(sql, params = NO_PARAMS) {
      try { return prepared(sql).get(params) as any; } catch (e) { throw classify(e); }
    },
    run(sql, params = NO_PARAMS) {
      try { return prepared(sql).run(params).changes; } catch (e) { throw classify(e); }
    },
  };

  return {
    kind: 'sqlite',
    all: (sql, params) => (open ? afterOpen(() => inside.all(sql, params)) : inside.all(sql, params)),
    get: (sql, params) => (open ? afterOpen(() => inside.get(sql, params)) : inside.get(sql, params)),
    run: (sql, params) => (open ? afterOpen(() => inside.run(sql, params)) : inside.run(sql, params)),
    // IMMEDIATE takes the write lock at BEGIN, so writers (this process or another) queue on the busy
    // timeout instead of failing to upgrade a read lock; it serialises key changes too, so no lock is named.
    async transaction(fn) {
      while (open) await open;
      let end!: () => void;
      open = new Promise((resolve) => { end = resolve; });
      try {
        inside.run('BEGIN IMMEDIATE');
        try {
          const out = await fn(inside);
          inside.run('COMMIT');
          return out;
        } catch (e) {
          // A failed ROLLBACK (the connection closed under us) must not hide why the transaction failed.
          try { if (db.inTransaction) prepared('ROLLBACK').run(); } catch { /* the first error tells */ }
          throw e;
        }
      } finally {
        open = null;
        end();
      }
    },
    bool: (b) => (b ? 1 : 0),
    close: async () => { db.close(); },
  };
}

/** Database faults the caller cannot fix become StoreUnavailable (503); constraint errors stay as they are. */
function classify(e: unknown): unknown {
  const code = (e as { code?: string })?.code ?? '';
  if (/^SQLITE_(BUSY|LOCKED|READONLY|FULL|IOERR|CANTOPEN|CORRUPT|NOTADB|PROTOCOL)/.test(code) || (e as Error)?.message === 'The database connection is not open') {
    return new StoreUnavailable(`database unavailable: ${code || (e as Error).message}`, { cause: e });
  }
  return e;
}
