declare module 'better-sqlite3-session-store' {
  import session from 'express-session';
  import type Database from 'better-sqlite3';
  class SqliteStore extends session.Store {
    constructor(opts: { client: Database.Database; expired?: { clear: boolean; intervalMs: number } });
    expired: { clear: boolean; intervalMs: number };
    get(sid: string, cb: (err: unknown, s?: session.SessionData | null) => void): void;
    set(sid: string, s: session.SessionData, cb?: (err?: unknown) => void): void;
    destroy(sid: string, cb?: (err?: unknown) => void): void;
    clearExpiredSessions(): void;
    startInterval(): void;
  }
  export default function factory(s: typeof session): typeof SqliteStore;
}
