// Structured logs (pino). Secrets are redacted by configuration, not by hand; request logs carry the path
// only, never the query string (codes and id_token_hints travel there).
// Standard output is written asynchronously: a synchronous write per line stalls every request whenever the
// reader of stdout (a terminal, a container's log collector) is slower than the server; under sign-in load that
// was the largest single cost on the event loop. No line is lost for it: what is buffered is written
// synchronously when the process exits (process.exit, the end of `gatehouse serve`, an uncaught exception) and
// right after a fatal line (test/storage/log-flush.test.ts). Only a kill that runs no code (SIGKILL) can lose
// the few lines in flight.
import { pino, type Logger } from 'pino';

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  // pino flushes a `sync: false` destination of its own making on 'exit' (synchronously) and 'beforeExit', and
  // synchronously after every fatal line.
  const stdout = destination ? undefined : pino.destination({ dest: 1, sync: false });
  return pino({
    level,
    base: { service: 'gatehouse' },
    redact: {
      paths: ['password', 'passcode', 'client_secret', 'code_verifier', 'token', 'access_token', 'refresh_token', 'id_token',
        'authorization', 'cookie', '*.password', '*.passcode', '*.client_secret', '*.code_verifier', '*.token', '*.authorization',
        '*.cookie', 'headers.authorization', 'headers.cookie'],
      censor: '[redacted]',
    },
  }, destination as any ?? stdout);
}
