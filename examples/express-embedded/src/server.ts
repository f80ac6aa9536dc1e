// Runs the sample app against any Gatehouse, configured from the environment:
//   GATEHOUSE_ISSUER       e.g. http://localhost:8080/oauth2/default
//   EXAMPLE_CLIENT_ID      the app's client_id;  EXAMPLE_CLIENT_SECRET  its secret (web apps)
//   EXAMPLE_BASE_URL       this app's origin (default http://localhost:$EXAMPLE_PORT)
//   EXAMPLE_PORT           default 3000;  EXAMPLE_SESSION_DB  default ./data/example-sessions.db
//   EXAMPLE_SESSION_SECRET required: signs the session cookie
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { startExample } from './main.js';

const need = (name: string) => {
  const v = process.env[name];
  if (!v) {
    console.error(`example: set ${name} (see the top of examples/express-embedded/src/server.ts)`);
    process.exit(2);
  }
  return v;
};

const port = Number(process.env.EXAMPLE_PORT ?? 3000);
const sessionDb = process.env.EXAMPLE_SESSION_DB ?? './data/example-sessions.db';
mkdirSync(dirname(sessionDb), { recursive: true });
const example = await startExample({
  issuer: need('GATEHOUSE_ISSUER'), clientId: need('EXAMPLE_CLIENT_ID'), clientSecret: process.env.EXAMPLE_CLIENT_SECRET,
  baseUrl: process.env.EXAMPLE_BASE_URL ?? `http://localhost:${port}`, sessionDb, sessionSecret: need('EXAMPLE_SESSION_SECRET'),
}, port);
console.log(`example app on http://localhost:${port}`);
const stop = () => void example.close().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
