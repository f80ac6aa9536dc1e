// What admin commands share: config from flags and environment, the store, and password hashing.
import { existsSync } from 'node:fs';
import { loadConfig } from '../config.js';
import { createPasswords } from '../identity/passwords.js';
import { openStore, sqlitePath } from '../store/open.js';

/** A read-only command was pointed at a SQLite file that is not there (a typo would otherwise create it). */
export class NoDatabase extends Error {
  override name = 'NoDatabase';
}

/**
 * Opens the store for an admin command. `readOnly` commands (list, show, events) refuse a SQLite file that does
 * not exist instead of creating an empty database and answering `[]` as if all were well.
 */
export async function openAdmin(db: string | undefined, opts: { readOnly?: boolean } = {}) {
  const cfg = loadConfig(process.env, db ? { db } : {});
  const path = sqlitePath(cfg.db);
  if (opts.readOnly && path && path !== ':memory:' && !existsSync(path)) {
    throw new NoDatabase(`no database at ${path}; create it with gatehouse serve or any write command`);
  }
  const store = await openStore(cfg.db);
  return { cfg, store, passwords: createPasswords(cfg) };
}

export function printJson(v: unknown) {
  console.log(JSON.stringify(v, null, 2));
}
