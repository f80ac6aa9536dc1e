// Numbered SQL migrations, applied in order inside one IMMEDIATE transaction so that two instances
// starting at once on an empty database run each migration exactly once. Imports nothing from the app.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type Database from 'better-sqlite3';

const dir = fileURLToPath(new URL('../../../migrations/sqlite/', import.meta.url));

export function migrate(db: Database.Database): number[] {
  const files = readdirSync(dir).filter((f) => /^\d{4}_.*\.sql$/.test(f)).sort();
  const applied: number[] = [];
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
  const run = db.transaction(() => {
    const done = new Set((db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version));
    for (const f of files) {
      const version = Number(f.slice(0, 4));
      if (done.has(version)) continue;
      db.exec(readFileSync(dir + f, 'utf8'));
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(version, f, Date.now());
      applied.push(version);
    }
  });
  run.immediate();
  return applied;
}
