// The HTTP server: resolve the route, apply CORS and method checks, run the handler, and turn every
// thrown value into the right error shape for the route's family. A 5xx is a bug, except 503 when the
// database is unavailable.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Deps } from '../deps.js';
import { StoreRejectedValue, StoreUnavailable } from '../errors.js';
import { OAuthError } from '../oauth/errors.js';
import { IdxError } from '../idx/messages.js';
import { renderTerminal } from '../idx/render.js';
import { randomToken } from '../random.js';
import type { AuthServer } from '../store/interfaces.js';
import { HttpError } from './body.js';
import type { HttpContext, Route } from './context.js';
import { answerPreflight, applyCors } from './cors.js';
import { IDX_ROUTES } from './idx-routes.js';
import { OAUTH_V1, WELL_KNOWN } from './oauth-routes.js';
import { errorPage, httpErrorAsOAuth, sendApiError, sendHtml, sendIdx, sendJson, sendOAuthError } from './respond.js';
import { widgetManifestRoute, widgetRoute } from './widget-assets.js';
import { sessionMeRoute } from './session-routes.js';
import { managementApiRoute } from './api-routes.js';
import { DEV_INBOX_ROUTES } from './dev-inbox-routes.js';

const health: Route = { methods: ['GET', 'HEAD'], family: 'plain', handler: async (ctx) => sendJson(ctx.res, 200, { status: 'ok' }) };
const ready: Route = {
  methods: ['GET', 'HEAD'], family: 'plain',
  handler: async (ctx) => {
    await ctx.deps.store.ping();
    sendJson(ctx.res, 200, { status: 'ready' });
  },
};

/** Maps a path to its route and authorization server. Okta's shapes (spec §3). */
function resolve(deps: Deps, path: string): { route: Route; server: AuthServer } | null {
  const org = deps.servers.get('org')!;
  if (path === '/healthz') return { route: health, server: org };
  if (path === '/readyz') return { route: ready, server: org };
  if (path.startsWith('/idp/idx/')) {
    const route = IDX_ROUTES[path];
    return route ? { route, server: org } : null;
  }
  if (path === '/api/v1/sessions/me') return { route: sessionMeRoute, server: org };
  if (path.startsWith('/api/v1/')) return { route: managementApiRoute, server: org };
  if (path === '/widget/manifest.json') return { route: widgetManifestRoute, server: org };
  if (path.startsWith('/widget/')) return { route: widgetRoute, server: org };
  if (deps.mail.inbox && DEV_INBOX_ROUTES[path]) return { route: DEV_INBOX_ROUTES[path]!, server: org };
  const seg = path.split('/');
  // /.well-known/{name} (org server)
  if (seg.length === 3 && seg[1] === '.well-known') {
    const route = WELL_KNOWN[seg[2]!];
    return route ? { route, server: org } : null;
  }
  // /.well-known/oauth-authorization-server/oauth2/{server}: RFC 8414 §3.1 inserts the well-known segment
  // before an issuer's path, and RFC 8414 clients (openid-client with algorithm 'oauth2') look only there.
  if (seg.length === 5 && seg[1] === '.well-known' && seg[2] === 'oauth-authorization-server' && seg[3] === 'oauth2') {
    const server = seg[4] === 'org' ? undefined : deps.servers.get(seg[4]!);
    return server ? { route: WELL_KNOWN['oauth-authorization-server']!, server } : null;
  }
  if (seg[1] !== 'oauth2') return null;
  // /oauth2/v1/{endpoint} (org server)
  if (seg.length === 4 && seg[2] === 'v1') {
    const route = OAUTH_V1[seg[3]!];
    return route ? { route, server: org } : null;
  }
  // /oauth2/{server}/v1/{endpoint}, /oauth2/{server}/.well-known/{name}
  if (seg.length === 5) {
    const server = seg[2] === 'org' ? undefined : deps.servers.get(seg[2]!);
    if (!server) return null;
    const route = seg[3] === 'v1' ? OAUTH_V1[seg[4]!] : seg[3] === '.well-known' ? WELL_KNOWN[seg[4]!] : undefined;
    return route ? { route, server } : null;
  }
  return null;
}

/** The request listener for a node:http server. */
export function requestListener(deps: Deps) {
  return (req: IncomingMessage, res: ServerResponse) => {
    handle(deps, req, res).catch((e) => {
      deps.log.error({ err: e }, 'unhandled error');
      if (!res.headersSent) sendJson(res, 500, { error: 'server_error', error_description: 'The server encountered an internal error.' });
      else res.destroy();
    });
  };
}

export function createHttpServer(): Server {
  return createServer({ requestTimeout: 30_000, headersTimeout: 15_000, keepAliveTimeout: 5_000 });
}

// Request ids only need to be unique, not unguessable: a per-process random prefix and a counter cost
// nothing per request, where a CSPRNG draw per request was a tenth of the time to serve the JWKS.
const BOOT = randomToken(6);
const PLAIN_PATH = /^\/(?!\/)[A-Za-z0-9\-._~/]*$/; // not "//host/...", which URL reads as a host
const DOT_SEGMENT = /\/\.\.?(\/|$)/;
let requestCount = 0;

async function handle(deps: Deps, req: IncomingMessage, res: ServerResponse) {
  const started = process.hrtime.bigint();
  const requestId = `${BOOT}-${(++requestCount).toString(36)}`;
  res.setHeader('X-Request-Id', requestId);
  // Every answer: no MIME sniffing of JSON into something a browser would run; on https, HSTS (without
  // includeSubDomains, which is the domain owner's call, not ours).
  res.setHeader('X-Content-Type-Options', 'nosniff');
  if (deps.cfg.baseUrl.startsWith('https:')) res.setHeader('Strict-Transport-Security', 'max-age=31536000');
  // Never trust Host or X-Forwarded-*: the URL below is only for path and query; links come from baseUrl.
  // A plain path (no query, no escapes, no dot segments) is its own pathname; anything else is parsed, and
  // handlers that read the query get the parsed URL on first use.
  const target = req.url ?? '/';
  let url: URL | undefined;
  let pathname = target;
  if (!PLAIN_PATH.test(target) || DOT_SEGMENT.test(target)) {
    try {
      url = new URL(target, deps.cfg.baseUrl);
    } catch {
      return sendJson(res, 400, { error: 'invalid_request', error_description: 'Malformed request URL.' });
    }
    pathname = url.pathname;
  }
  const resolved = resolve(deps, pathname);
  if (!resolved) {
    sendJson(res, 404, { errorCode: 'E0000007', errorSummary: 'Not found: Resource not found', errorLink: 'E0000007', errorId: 'oae' + randomToken(12), errorCauses: [] });
    return;
  }
  const { route, server } = resolved;
  let log: Logger | undefined;
  const ctx: HttpContext = {
    req, res, deps, server, corsAllowed: false,
    get url() { return (url ??= new URL(target, deps.cfg.baseUrl)); },
    // A child logger is built only for requests that log something.
    get log() { return (log ??= deps.log.child({ reqId: requestId })); },
  };
  try {
    if (route.family === 'oauth' || route.family === 'idx') {
      const cors = applyCors(deps.store, req, res);
      ctx.corsAllowed = typeof cors === 'boolean' ? cors : await cors;
    }
    if (req.method === 'OPTIONS') return answerPreflight(res, ctx.corsAllowed, route.methods);
    if (!route.methods.includes(req.method ?? '')) {
      res.setHeader('Allow', route.methods.join(', '));
      if (route.family === 'oauth') return sendJson(res, 405, { error: 'invalid_request', error_description: `The ${req.method} method is not allowed here.` });
      if (route.family === 'idx') return sendApiError(res, new HttpError(405, 'method_not_allowed', `The ${req.method} method is not allowed here.`));
      return sendJson(res, 405, { error: 'method_not_allowed' });
    }
    await route.handler(ctx);
  } catch (e) {
    sendError(ctx, route, e);
  } finally {
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    deps.metrics.request(route.family, res.statusCode, ms / 1000);
    // One line per request at debug; at info only what an operator follows: refusals and failures, and each
    // token issued (the one line a completed sign-in leaves). Timings of every request are in the metrics.
    const level = res.statusCode >= 400 || (route === OAUTH_V1.token && res.statusCode === 200) ? 'info' : 'debug';
    if (deps.log.isLevelEnabled(level)) {
      ctx.log[level]({ method: req.method, path: pathname, status: res.statusCode, ms: Math.round(ms * 10) / 10 }, 'request');
    }
  }
}

function sendError(ctx: HttpContext, route: Route, e: unknown) {
  const { res, log } = ctx;
  if (res.headersSent) {
    log.error({ err: e }, 'error after headers were sent');
    res.destroy();
    return;
  }
  if (e instanceof OAuthError) {
    log.info({ error: e.error, detail: e.detail }, 'oauth error');
    if (route.family === 'html') return sendHtml(res, e.status, errorPage('Request refused', e.description));
    return sendOAuthError(res, e);
  }
  if (e instanceof HttpError) {
    log.info({ status: e.status, detail: e.message }, 'bad request');
    if (route.family === 'idx') return sendApiError(res, e);
    if (route.family === 'html') return sendHtml(res, e.status, errorPage('Bad request', e.message));
    return sendOAuthError(res, httpErrorAsOAuth(e));
  }
  if (e instanceof IdxError) return sendIdx(res, e.status, renderTerminal(e.messages));
  if (e instanceof StoreRejectedValue) {
    log.warn({ err: e }, 'value refused by the database');
    const bad = new HttpError(400, 'invalid_request', 'A parameter has a value that cannot be accepted.');
    if (route.family === 'idx') return sendApiError(res, bad);
    if (route.family === 'html') return sendHtml(res, 400, errorPage('Bad request', bad.message));
    return sendOAuthError(res, httpErrorAsOAuth(bad));
  }
  if (e instanceof StoreUnavailable) {
    log.error({ err: e }, 'store unavailable');
    res.setHeader('Retry-After', '5');
    if (route.family === 'oauth') return sendJson(res, 503, { error: 'temporarily_unavailable', error_description: 'The service is temporarily unavailable.' });
    return sendJson(res, 503, { errorCode: 'E0000009', errorSummary: 'The service is temporarily unavailable.', errorLink: 'E0000009', errorId: 'oae' + randomToken(12), errorCauses: [] });
  }
  log.error({ err: e }, 'internal error');
  if (route.family === 'idx') return sendIdx(res, 500, renderTerminal([{ message: 'Something went wrong. Try again later.', i18n: { key: 'idx.error.server' }, class: 'ERROR' }]));
  if (route.family === 'html') return sendHtml(res, 500, errorPage('Something went wrong', 'Try again later.'));
  sendJson(res, 500, { error: 'server_error', error_description: 'The server encountered an internal error.' });
}
