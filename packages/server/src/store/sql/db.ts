// The small surface the SQL store is written against (STYLE §5): run a statement, read rows, one write
// transaction. A dialect (sqlite/, postgres/) implements it with its driver; the statements in store.ts are
// written once, with `?` placeholders, in the SQL both databases accept. What really differs lives here.

export type Row = Record<string, any>;
export type Params = readonly unknown[];

/**
 * Statements on the database, or inside one transaction. A dialect may answer synchronously (SQLite) or with
 * a promise (PostgreSQL): callers always await. Failures arrive classified: StoreUnavailable for a database
 * that cannot answer, StoreRejectedValue for a value it refuses as data; anything else (a constraint) as is.
 */
export interface Sql {
  /** Every row of a query, or of a statement with RETURNING. */
  all<T = Row>(sql: string, params?: Params): T[] | Promise<T[]>;
  /** The first row, or undefined. */
  get<T = Row>(sql: string, params?: Params): T | undefined | Promise<T | undefined>;
  /** Runs a statement; how many rows it inserted, changed or deleted. */
  run(sql: string, params?: Params): number | Promise<number>;
}

/** Locks a write transaction may name; held until it commits, so writers of that kind run one at a time. */
export type LockName = 'keys';

export interface Db extends Sql {
  readonly kind: 'sqlite' | 'postgres';
  /**
   * Runs fn as one write transaction on one connection: committed when fn returns, rolled back when it throws.
   * Inside, use only the `t` given to fn. SQLite takes the write lock at BEGIN (IMMEDIATE), which already
   * serialises writers; PostgreSQL takes the named advisory lock.
   */
  transaction<T>(fn: (t: Sql) => Promise<T>, opts?: { lock?: LockName }): Promise<T>;
  /** A boolean as a parameter: SQLite stores 1/0, PostgreSQL a BOOLEAN. */
  bool(b: boolean): unknown;
  close(): Promise<void>;
}
