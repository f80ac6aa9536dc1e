// Composition: config -> store -> keys -> deps -> HTTP. Used by `gatehouse serve`, the demo and the tests.
import type { AddressInfo } from 'node:net';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { loadConfig, type Config } from './config.js';
import type { Deps } from './deps.js';
import { createPasswords } from './identity/passwords.js';
import { openKeyRing } from './keys/key-ring.js';
import { createKeyVault, resolveSecret } from './keys/key-vault.js';
import { createLogger } from './log.js';
import { createMailer } from './mail/mailer.js';
import type { AuthServer, Store } from './store/interfaces.js';
import { openStore } from './store/open.js';
import { createHttpServer, requestListener } from './http/server.js';
import { countedEvents, createMetrics, NO_METRICS, serveMetrics, type Metrics } from './metrics.js';
import { startHookWorker, wakingEvents, type HookWorker } from './admin-api/hook-delivery.js';

export interface Gatehouse {
  /** The configured base URL (what issuers and links use). */
  baseUrl: string;
  /** The actually bound port. */
  port: number;
  /** The bound metrics port, when metrics are on. */
  metricsPort?: number;
  deps: Deps;
  server: Server;
  /** Reloads the authorization servers from the store (also done every few seconds). */
  refreshServers(): Promise<void>;
  close(): Promise<void>;
}

const SERVER_RELOAD_MS = 5_000;

export interface StartOptions {
  config?: Partial<Config>;
  env?: NodeJS.ProcessEnv;
  /** Use this store instead of opening config.db (the caller closes it). */
  store?: Store;
  now?: () => number;
  logger?: Logger;
  /** When the port is 0, derive baseUrl from the bound port (tests). */
  baseUrlFromPort?: boolean;
}

export async function buildDeps(cfg: Readonly<Config>, opts: Omit<StartOptions, 'config' | 'env'> & { metrics?: Metrics; hooks?: { worker?: HookWorker } } = {}): Promise<Deps> {
  const log = opts.logger ?? createLogger(cfg.logLevel);
  const metrics = opts.metrics ?? NO_METRICS;
  const opened = opts.store ?? await openStore(cfg.db);
  const counted = metrics === NO_METRICS ? opened : { ...opened, events: countedEvents(opened.events, metrics) };
  // The store's append queues an event for the hooks that want it; this wakes the instance's worker to send it now.
  const hooks = opts.hooks;
  const store = hooks ? { ...counted, events: wakingEvents(counted.events, () => hooks.worker) } : counted;
  const now = opts.now ?? Date.now;
  const secret = resolveSecret(cfg.secret, cfg.secretFile, (m) => log.warn(m));
  const vault = createKeyVault(secret);
  const keys = await openKeyRing(store, vault, now);
  const servers = new Map((await store.servers.list()).map((s) => [s.id, s]));
  return { cfg, store, servers, keys, vault, passwords: createPasswords(cfg), now, log, metrics, mail: createMailer(cfg, log, now) };
}

/** How long close() lets requests in flight finish before it cuts their connections. */
const DRAIN_MS = 8_000;

/**
 * The answer while Gatehouse cannot serve: before its dependencies are built, and once it is shutting down.
 * A load balancer's probe or a retrying client gets a clear 503 at once, never a request left hanging.
 */
function sendUnavailable(res: ServerResponse, why: 'starting' | 'stopping') {
  const body = JSON.stringify({ error: 'temporarily_unavailable', error_description: why === 'starting' ? 'Gatehouse is starting; try again shortly.' : 'Gatehouse is shutting down; try again shortly.' });
  res.writeHead(503, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), 'Retry-After': '1', 'Cache-Control': 'no-store', Connection: 'close', 'X-Content-Type-Options': 'nosniff' });
  res.end(body);
}

export async function startGatehouse(opts: StartOptions = {}): Promise<Gatehouse> {
  let cfg = loadConfig(opts.env ?? process.env, opts.config);
  // Listen first: with port 0 the base URL (and so every issuer) depends on the port we get. A request that
  // arrives before the dependencies are built is answered 503 by the one listener installed before listen().
  const server = createHttpServer();
  let serve: ((req: IncomingMessage, res: ServerResponse) => void) | null = null;
  let closing = false;
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (closing) return sendUnavailable(res, 'stopping');
    if (!serve) return sendUnavailable(res, 'starting');
    serve(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(cfg.port, cfg.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  if (opts.baseUrlFromPort) cfg = loadConfig(opts.env ?? process.env, { ...opts.config, port, baseUrl: `http://127.0.0.1:${port}` });
  const metrics = cfg.metricsPort === undefined ? undefined : createMetrics();
  let deps: Deps;
  const hooks: { worker?: HookWorker } = {};
  try {
    deps = await buildDeps(cfg, { ...opts, metrics, hooks });
  } catch (e) {
    server.close();
    server.closeAllConnections();
    throw e;
  }
  serve = requestListener(deps);
  // Event hook delivery runs beside the requests, from the queue in the database; a slow hook never holds one up.
  hooks.worker = startHookWorker(deps);
  const metricsServer = metrics ? await serveMetrics(metrics.registry, cfg.metricsPort!, cfg.metricsHost) : undefined;
  const sweeper = setInterval(() => {
    deps.store.sweep(deps.now()).catch((e) => deps.log.warn({ err: e }, 'sweep failed'));
  }, 10 * 60_000);
  sweeper.unref();
  // Servers are only ever added (the CLI has no delete), so a reload adds new ids and replaces changed ones;
  // an unchanged server keeps its object, and with it its cached discovery document.
  const servers = deps.servers as Map<string, AuthServer>;
  const refreshServers = async () => {
    for (const s of await deps.store.servers.list()) {
      if (JSON.stringify(servers.get(s.id)) !== JSON.stringify(s)) servers.set(s.id, s);
    }
  };
  const reloader = setInterval(() => {
    refreshServers().catch((e) => deps.log.warn({ err: e }, 'reloading authorization servers failed'));
  }, SERVER_RELOAD_MS);
  reloader.unref();
  return {
    baseUrl: cfg.baseUrl,
    port,
    metricsPort: metricsServer?.port,
    deps,
    server,
    refreshServers,
    async close() {
      // New requests get 503 and the port closes; idle keep-alive connections are closed at once (and again as
      // requests in flight finish and leave theirs idle); what is still running after DRAIN_MS is cut.
      closing = true;
      clearInterval(sweeper);
      clearInterval(reloader);
      metricsServer?.server.close();
      const drained = new Promise<void>((r) => server.close(() => r()));
      server.closeIdleConnections();
      const idle = setInterval(() => server.closeIdleConnections(), 50);
      const cut = setTimeout(() => server.closeAllConnections(), DRAIN_MS);
      await drained;
      clearInterval(idle);
      clearTimeout(cut);
      await hooks.worker?.close();
      deps.keys.close();
      if (!opts.store) await deps.store.close();
    },
  };
}
