// Structured logs (pino). Secrets are redacted by configuration, not by hand; request logs carry the path
// only, never the query string (codes and id_token_hints travel there).
import { pino, type Logger } from 'pino';

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino({
    level,
    base: { service: 'gatehouse' },
    redact: {
      paths: ['password', 'passcode', 'client_secret', 'code_verifier', 'token', 'access_token', 'refresh_token', 'id_token',
        'authorization', 'cookie', '*.password', '*.passcode', '*.client_secret', '*.code_verifier', '*.token', '*.authorization',
        '*.cookie', 'headers.authorization', 'headers.cookie'],
      censor: '[redacted]',
    },
  }, destination as any);
}
