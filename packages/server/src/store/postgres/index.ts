// PostgreSQL under the SQL store (node-postgres). The statements are in ../sql/store.ts; this file opens the
// pool, numbers the `?` placeholders as $1, $2, …, runs a write transaction on one connection (named locks
// are advisory locks), and says which failures mean the database is unavailable or refused a value.
import pg from 'pg';
import { StoreRejectedValue, StoreUnavailable } from '../../errors.js';
import type { Store } from '../interfaces.js';
import type { Db, LockName, Params, Sql } from '../sql/db.js';
import { sqlStore } from '../sql/store.js';
import { migrate } from './migrate.js';

/** Advisory lock keys; 7_264_011 is the migrations' (migrate.ts). */
const LOCKS: Record<LockName, number> = { keys: 7_264_012 };

// BIGINT (epoch milliseconds, counters) as JS numbers; they stay far below 2^53.
const types = { getTypeParser: (oid: number, format?: any) => (oid === 20 ? (v: string) => Number(v) : (pg.types.getTypeParser as any)(oid, format)) };

export interface PostgresOptions {
  /** A schema of its own (created if missing); tests use one per run. */
  schema?: string;
}

export async function openPostgresStore(url: string, opts: PostgresOptions = {}): Promise<Store> {
  const schema = opts.schema;
  if (schema && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error('schema must be a lowercase SQL identifier');
  const pool = new pg.Pool({ connectionString: url, max: 10, types, ...(schema ? { options: `-c search_path=${schema}` } : {}), connectionTimeoutMillis: 5000 });
  pool.on('error', () => { /* an idle client died; the next query reconnects */ });
  try {
    if (schema) await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await migrate(pool);
  } catch (e) {
    await pool.end();
    throw classify(e);
  }
  return sqlStore(postgresDb(pool));
}

/** The SQL text with its `?` placeholders numbered, computed once per text. No statement has a `?` in a literal. */
const numbered = new Map<string, string>();
function pgText(sql: string): string {
  let text = numbered.get(sql);
  if (text === undefined) {
    let n = 0;
    numbered.set(sql, (text = sql.replace(/\?/g, () => `$${++n}`)));
  }
  return text;
}

/** Statements on a pool or on one client of it. */
function sqlOn(c: pg.Pool | pg.PoolClient): Sql {
  const query = async (sql: string, params: Params = []) => {
    try {
      return await c.query(pgText(sql), params as unknown[]);
    } catch (e) {
      throw classify(e);
    }
  };
  return {
    all: async (sql, params) => (await query(sql, params)).rows,
    get: async (sql, params) => (await query(sql, params)).rows[0],
    run: async (sql, params) => (await query(sql, params)).rowCount ?? 0,
  };
}

function postgresDb(pool: pg.Pool): Db {
  return {
    kind: 'postgres',
    ...sqlOn(pool),
    async transaction(fn, opts = {}) {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (e) {
        throw classify(e);
      }
      const t = sqlOn(client);
      try {
        await t.run('BEGIN');
        if (opts.lock) await t.get('SELECT pg_advisory_xact_lock(?)', [LOCKS[opts.lock]]);
        const out = await fn(t);
        await t.run('COMMIT');
        return out;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => {});
        throw e;
      } finally {
        client.release();
      }
    },
    bool: (b) => b,
    close: () => pool.end(),
  };
}

/** Connection and server faults the caller cannot fix become StoreUnavailable (503); a refused value (class 22) StoreRejectedValue. */
function classify(e: unknown): unknown {
  if (e instanceof StoreUnavailable || e instanceof StoreRejectedValue) return e;
  const code = (e as { code?: string })?.code ?? '';
  if (/^(08|53|57P|58)/.test(code) || ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND'].includes(code) || /timeout exceeded when trying to connect|Connection terminated/i.test(String((e as Error)?.message))) {
    return new StoreUnavailable(`database unavailable: ${code || (e as Error).message}`, { cause: e });
  }
  if (/^22/.test(code)) return new StoreRejectedValue(`value refused by the database: ${code}`, { cause: e });
  return e;
}
