// What admin commands share: config from flags and environment, the store, and password hashing.
import { loadConfig } from '../config.js';
import { createPasswords } from '../identity/passwords.js';
import { openStore } from '../store/open.js';

export async function openAdmin(db: string | undefined) {
  const cfg = loadConfig(process.env, db ? { db } : {});
  const store = await openStore(cfg.db);
  return { cfg, store, passwords: createPasswords(cfg) };
}

export function printJson(v: unknown) {
  console.log(JSON.stringify(v, null, 2));
}
