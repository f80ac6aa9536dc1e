declare module 'better-sqlite3-session-store' {
  import type session from 'express-session';
  import type Database from 'better-sqlite3';
  type StoreClass = new (opts: { client: Database.Database; expired?: { clear: boolean; intervalMs: number } }) => session.Store & { clearExpiredSessions?: () => void };
  export default function factory(s: typeof session): StoreClass;
}
