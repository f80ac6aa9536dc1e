import { startGatehouse } from '../app.js';
import { parse, wholeNumber } from './args.js';

const SHUTDOWN_MS = 10_000;

export async function serve(argv: string[]): Promise<number> {
  const { values } = parse(argv, { db: { type: 'string' }, port: { type: 'string' }, 'base-url': { type: 'string' }, host: { type: 'string' } });
  const port = wholeNumber(values.port, 'port', 65535, 0);
  // --port 0 (an ephemeral port, as the tests use) with no base URL given: the base URL follows the bound port.
  const ephemeral = (port === 0 || (port === undefined && process.env.GATEHOUSE_PORT === '0')) && !values['base-url'] && !process.env.GATEHOUSE_BASE_URL;
  const gh = await startGatehouse({ baseUrlFromPort: ephemeral, config: { ...(values.db ? { db: values.db } : {}), ...(port !== undefined ? { port } : {}), ...(values['base-url'] ? { baseUrl: values['base-url'] } : {}), ...(values.host ? { host: values.host } : {}) } });
  gh.deps.log.info({ baseUrl: gh.baseUrl, port: gh.port, db: withoutPassword(gh.deps.cfg.db), ...(gh.metricsPort !== undefined ? { metricsPort: gh.metricsPort } : {}) }, 'gatehouse listening');
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  gh.deps.log.info('shutting down');
  // Requests in flight get up to 8 s (app.ts); whatever still holds the process after SHUTDOWN_MS is not worth
  // waiting for, and a second signal means the operator will not wait either.
  const force = (why: string) => { gh.deps.log.error(why); process.exit(1); };
  setTimeout(() => force('shutdown took too long; exiting'), SHUTDOWN_MS).unref();
  process.once('SIGINT', () => force('second signal; exiting now'));
  process.once('SIGTERM', () => force('second signal; exiting now'));
  await gh.close();
  return 0;
}

/** A database URL fit for a log line: a password in it is replaced by `***`. */
export function withoutPassword(db: string): string {
  try {
    const u = new URL(db);
    if (!u.password) return db;
    u.password = '***';
    return u.toString();
  } catch {
    return db;
  }
}
