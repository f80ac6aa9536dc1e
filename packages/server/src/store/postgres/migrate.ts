// Numbered SQL migrations for PostgreSQL, applied under an advisory lock so that instances starting at once
// run each migration exactly once. Imports nothing from the app.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';

const dir = fileURLToPath(new URL('../../../migrations/postgres/', import.meta.url));
const LOCK = 7_264_011; // an arbitrary constant naming "gatehouse migrations"

export async function migrate(pool: pg.Pool): Promise<number[]> {
  const files = readdirSync(dir).filter((f) => /^\d{4}_.*\.sql$/.test(f)).sort();
  const client = await pool.connect();
  const applied: number[] = [];
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)');
    const done = new Set((await client.query('SELECT version FROM schema_migrations')).rows.map((r) => Number(r.version)));
    for (const f of files) {
      const version = Number(f.slice(0, 4));
      if (done.has(version)) continue;
      await client.query(readFileSync(dir + f, 'utf8'));
      await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [version, f, Date.now()]);
      applied.push(version);
    }
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    client.release();
  }
  return applied;
}
