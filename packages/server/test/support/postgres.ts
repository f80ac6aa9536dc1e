// The PostgreSQL server the tests use: GATEHOUSE_TEST_POSTGRES (default postgres://postgres@127.0.0.1:5432/postgres;
// scripts/postgres.sh installs and starts it). Without one, PostgreSQL tests are skipped, saying why — except
// under CI (CI set), where a skipped PostgreSQL test would hide untested guarantees, so it fails instead.
import { test } from 'node:test';
import pg from 'pg';

export const POSTGRES_URL = process.env.GATEHOUSE_TEST_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export async function postgresReachable(url = POSTGRES_URL): Promise<boolean> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

/** Registers the test that stands for a suite when no server answers: skipped locally, failed under CI. */
export function noPostgres(suite: string, url = POSTGRES_URL): void {
  const why = `no PostgreSQL server at ${url} (run scripts/postgres.sh, or set GATEHOUSE_TEST_POSTGRES)`;
  if (process.env.CI) {
    test(`${suite}: PostgreSQL must answer under CI`, () => {
      throw new Error(`${why}; under CI a skipped PostgreSQL test is a failure`);
    });
  } else {
    test(suite, { skip: why }, () => {});
  }
}
