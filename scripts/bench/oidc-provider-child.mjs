// The peer for `npm run bench`: oidc-provider (panva) serving the same work as Gatehouse, in its own process,
// pinned by the parent to the server core. Its own authorization-code + PKCE flow with an argon2id password check
// at the same cost in its login interaction (a first-party client: the grant is created with the login, so no
// consent screen), client_credentials with JWT access tokens (resource indicators), its JWKS and discovery.
// It keeps its state in its built-in in-memory adapter (Gatehouse writes SQLite on disk): the peer's best case.
// Not a test and not shipped: oidc-provider is a dev dependency used only here.
import http from 'node:http';
import { generateKeyPairSync } from 'node:crypto';
import { hash, verify, Algorithm } from '@node-rs/argon2';
import Provider from 'oidc-provider';

const argon2 = JSON.parse(process.env.BENCH_ARGON2);
const password = 'bench-password-123';
const redirectUri = 'http://localhost:3000/interactioncode/callback';
const web = { clientId: 'bench-web', clientSecret: 'bench-web-secret-bench-web-secret-0000' };
const service = { clientId: 'bench-service', clientSecret: 'bench-service-secret-bench-service-0' };
const resource = 'api://bench';

// 64 users, as Gatehouse's bench has, each with its own argon2id hash at the server's cost.
const accounts = new Map();
const hashOptions = { algorithm: Algorithm.Argon2id, memoryCost: argon2.memoryCost, timeCost: argon2.timeCost, parallelism: argon2.parallelism ?? 1 };
for (let i = 0; i < 64; i++) {
  const login = `user${i}@bench.example`;
  accounts.set(login, { id: `u${i}`, email: login, hash: await hash(password, hashOptions) });
}
const byId = new Map([...accounts.values()].map((a) => [a.id, a]));
const dummyHash = await hash('no-such-user-password', hashOptions);

const server = http.createServer();
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const issuer = `http://127.0.0.1:${server.address().port}`;
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

const provider = new Provider(issuer, {
  clients: [
    { client_id: web.clientId, client_secret: web.clientSecret, redirect_uris: [redirectUri], grant_types: ['authorization_code'], response_types: ['code'], token_endpoint_auth_method: 'client_secret_basic' },
    { client_id: service.clientId, client_secret: service.clientSecret, redirect_uris: [], grant_types: ['client_credentials'], response_types: [], token_endpoint_auth_method: 'client_secret_basic' },
  ],
  jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'bench-1', alg: 'RS256', use: 'sig' }] },
  cookies: { keys: ['bench-cookie-key-bench-cookie-key-0'] },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  pkce: { required: () => true },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      // client_credentials gets the API as its audience (a JWT access token); the code flow's access token stays
      // oidc-provider's default (opaque, for its userinfo endpoint).
      defaultResource: (ctx, client) => (client?.clientId === service.clientId ? resource : undefined),
      getResourceServerInfo: () => ({ scope: 'api:read', audience: resource, accessTokenTTL: 3600, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'RS256' } } }),
      useGrantedResource: () => true,
    },
  },
  async findAccount(_ctx, id) {
    const a = byId.get(id);
    return a && { accountId: id, claims: async () => ({ sub: id, email: a.email, email_verified: true, name: a.email }) };
  },
  // First-party client: the login creates the grant (oidc-provider's documented way to skip consent).
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope(ctx.oidc.params.scope);
    await grant.save();
    return grant;
  },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
});
const callback = provider.callback();

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString()));
    req.on('error', reject);
  });
}

// The login interaction: GET renders the form (as JSON), POST checks the password.
async function interaction(req, res) {
  try {
    const details = await provider.interactionDetails(req, res);
    if (req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify({ uid: details.uid, prompt: details.prompt.name, client: details.params.client_id, action: `/interaction/${details.uid}/login` }));
      return;
    }
    const form = new URLSearchParams(await readBody(req));
    const account = accounts.get(form.get('login') ?? '');
    const ok = await verify(account?.hash ?? dummyHash, form.get('password') ?? '');
    if (!account || !ok) {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end('{"error":"access_denied"}');
      return;
    }
    await provider.interactionFinished(req, res, { login: { accountId: account.id } }, { mergeWithLastSubmission: false });
  } catch (e) {
    res.writeHead(400, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: String(e?.message ?? e) }));
  }
}

server.on('request', (req, res) => {
  if (req.url.startsWith('/interaction/')) interaction(req, res);
  else callback(req, res);
});
process.on('message', (m) => { if (m === 'stop') { server.closeAllConnections(); server.close(() => process.exit(0)); } });
process.send({ ready: true, issuer, redirectUri, password, web, service, resource, argon2 });
process.on('disconnect', () => process.exit(0)); // the bench died: do not outlive it
