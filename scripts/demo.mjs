// npm run demo: Gatehouse on GATEHOUSE_PORT (8080) with an embedded SQLite file under ./data, a demo user and
// the demo app, and the sample app on EXAMPLE_PORT (3000). Running it again reuses the data. Ctrl-C stops both.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { startGatehouse, createApp, createUser } from '../packages/server/dist/index.js';
import { startExample, EMAIL_VERIFY_PATH } from '../examples/express-embedded/dist/main.js';

const gatehousePort = Number(process.env.GATEHOUSE_PORT ?? 8080);
const examplePort = Number(process.env.EXAMPLE_PORT ?? 3000);
const email = process.env.GATEHOUSE_DEMO_EMAIL ?? 'demo@example.com';
const password = process.env.GATEHOUSE_DEMO_PASSWORD ?? 'Correct-Horse-Battery-9';
const gatehouseUrl = process.env.GATEHOUSE_BASE_URL ?? `http://localhost:${gatehousePort}`;
const exampleUrl = `http://localhost:${examplePort}`;
// Recovery mail (magic links, admin resets) links to the sample app's email-verify callback.
const emailVerifyUri = `${exampleUrl}${EMAIL_VERIFY_PATH}`;
const dataDir = './data';
mkdirSync(dataDir, { recursive: true });

console.warn('Demo mode: a development secret, a demo user and a demo app are created under ./data. Do not use them in production.');
// Without an SMTP server the demo keeps its mail (codes, recovery links) in the development inbox at /dev/inbox.
const devInbox = process.env.GATEHOUSE_DEV_INBOX === '1' || !process.env.GATEHOUSE_SMTP_URL;
const gh = await startGatehouse({ config: { port: gatehousePort, baseUrl: gatehouseUrl, db: process.env.GATEHOUSE_DB ?? `sqlite:${dataDir}/gatehouse.db`, host: process.env.GATEHOUSE_HOST ?? '127.0.0.1', logLevel: process.env.GATEHOUSE_LOG_LEVEL ?? 'warn', devInbox } });
const { store, passwords } = gh.deps;

// The client secret is shown once and stored hashed, so the demo keeps its own copy (mode 0600).
const appFile = `${dataDir}/example-app.json`;
let demoApp = existsSync(appFile) ? JSON.parse(readFileSync(appFile, 'utf8')) : null;
if (demoApp && !(await store.apps.findByClientId(demoApp.clientId))) demoApp = null;
if (!demoApp || demoApp.exampleUrl !== exampleUrl) {
  const { app, clientSecret } = await createApp(store, {
    name: 'Gatehouse Example', type: 'web', redirectUris: [`${exampleUrl}/interactioncode/callback`],
    postLogoutRedirectUris: [`${exampleUrl}/`], trustedOrigins: [exampleUrl], signIn: 'password-first', emailVerifyUri,
  }, Date.now());
  demoApp = { clientId: app.clientId, clientSecret, exampleUrl, sessionSecret: randomBytes(32).toString('base64url') };
  writeFileSync(appFile, JSON.stringify(demoApp, null, 2), { mode: 0o600 });
  chmodSync(appFile, 0o600);
}
// Data from before the callback existed gets it too.
const registered = await store.apps.findByClientId(demoApp.clientId);
if (registered.emailVerifyUri !== emailVerifyUri) await store.apps.update({ ...registered, emailVerifyUri });
if (!(await store.users.findByLogin(email))) {
  await createUser(store, passwords, { email, password, firstName: 'Demo', lastName: 'User' }, Date.now());
}

const example = await startExample({
  issuer: `${gatehouseUrl}/oauth2/default`, clientId: demoApp.clientId, clientSecret: demoApp.clientSecret, baseUrl: exampleUrl,
  sessionDb: `${dataDir}/example-sessions.db`, sessionSecret: demoApp.sessionSecret,
}, examplePort, process.env.EXAMPLE_HOST ?? '127.0.0.1');

console.log(`
Gatehouse   ${gatehouseUrl}  (issuer ${gatehouseUrl}/oauth2/default)
Example app ${exampleUrl}
Demo user   ${email}
Password    ${process.env.GATEHOUSE_DEMO_PASSWORD ? '(from GATEHOUSE_DEMO_PASSWORD)' : password}
Client id   ${demoApp.clientId}
Mail        ${devInbox ? `kept in the development inbox: ${gatehouseUrl}/dev/inbox` : 'sent through GATEHOUSE_SMTP_URL'}

Open ${exampleUrl} and sign in. Ctrl-C stops both.`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  console.log('\nstopping…');
  await example.close();
  await gh.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
