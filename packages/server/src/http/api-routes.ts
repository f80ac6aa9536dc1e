// Transport for the management API (/api/v1/users, groups, apps, logs): the API token, its rate limit, the route
// table, JSON bodies, `Link` headers for pages, and every error as Okta's error object. What each call does is in
// admin-api/; this file only turns requests into its plain values and its results into responses.
import type { ServerResponse } from 'node:http';
import { StoreRejectedValue } from '../errors.js';
import { ApiError, malformedBody, methodNotAllowed, notFound } from '../admin-api/errors.js';
import { authenticate, checkWrite, spendApiCall } from '../admin-api/api-tokens.js';
import { createApiUser, deleteApiUser, getApiUser, lifecycle, listFactors, listUsers, updateApiUser, type Actor } from '../admin-api/users.js';
import { addMember, createGroup, deleteGroup, getGroup, listGroups, listMembers, listUserGroups, removeMember, replaceGroup } from '../admin-api/groups.js';
import { appLifecycle, createApiApp, deleteApiApp, getApiApp, listApps, newAppSecret, replaceApiApp } from '../admin-api/apps.js';
import { listLogs } from '../admin-api/logs.js';
import { createApiEventHook, deleteApiEventHook, eventHookLifecycle, getApiEventHook, listApiEventHooks } from '../admin-api/event-hooks.js';
import type { Body, Listing } from '../admin-api/shapes.js';
import { randomToken } from '../random.js';
import { HttpError, isJsonType, mediaType, parseJsonObject, readBody } from './body.js';
import type { HttpContext, Route } from './context.js';
import { NO_STORE, sendJson } from './respond.js';

interface Call extends Actor {
  /** Path parameters, percent-decoded. */
  p: string[];
  query: URLSearchParams;
  body: Body;
}

/** A result: an object (200), a listing (200 with `Link`), or nothing (204). */
type Result = unknown | { listing: Listing } | undefined;
type Op = (c: Call) => Promise<Result>;

const listing = (l: Promise<Listing>) => l.then((x) => ({ listing: x }));
const none = (p: Promise<unknown>) => p.then(() => undefined);
const all = (items: Promise<unknown[]>) => items.then((x) => ({ listing: { items: x, next: null } }));

// One line per endpoint: path pattern ({} is one segment), then its methods.
const ROUTES: [RegExp, Partial<Record<string, Op>>][] = [
  [/^\/api\/v1\/users$/, { GET: (c) => listing(listUsers(c.deps, c.query)), POST: (c) => createApiUser(c, c.body, c.query) }],
  [/^\/api\/v1\/users\/([^/]+)$/, {
    GET: (c) => getApiUser(c.deps, c.p[0]!), POST: (c) => updateApiUser(c, c.p[0]!, c.body, false), PUT: (c) => updateApiUser(c, c.p[0]!, c.body, true),
    DELETE: (c) => none(deleteApiUser(c, c.p[0]!, c.query)),
  }],
  [/^\/api\/v1\/users\/([^/]+)\/lifecycle\/([^/]+)$/, { POST: (c) => lifecycle(c, c.p[0]!, c.p[1]!, c.query) }],
  [/^\/api\/v1\/users\/([^/]+)\/groups$/, { GET: (c) => all(listUserGroups(c.deps, c.p[0]!)) }],
  [/^\/api\/v1\/users\/([^/]+)\/factors$/, { GET: (c) => all(listFactors(c.deps, c.p[0]!)) }],
  [/^\/api\/v1\/groups$/, { GET: (c) => listing(listGroups(c.deps, c.query)), POST: (c) => createGroup(c, c.body) }],
  [/^\/api\/v1\/groups\/([^/]+)$/, { GET: (c) => getGroup(c.deps, c.p[0]!), PUT: (c) => replaceGroup(c, c.p[0]!, c.body), DELETE: (c) => none(deleteGroup(c, c.p[0]!)) }],
  [/^\/api\/v1\/groups\/([^/]+)\/users$/, { GET: (c) => listing(listMembers(c.deps, c.p[0]!, c.query)) }],
  [/^\/api\/v1\/groups\/([^/]+)\/users\/([^/]+)$/, { PUT: (c) => none(addMember(c, c.p[0]!, c.p[1]!)), DELETE: (c) => none(removeMember(c, c.p[0]!, c.p[1]!)) }],
  [/^\/api\/v1\/apps$/, { GET: (c) => listing(listApps(c.deps, c.query)), POST: (c) => createApiApp(c, c.body) }],
  [/^\/api\/v1\/apps\/([^/]+)$/, { GET: (c) => getApiApp(c.deps, c.p[0]!), PUT: (c) => replaceApiApp(c, c.p[0]!, c.body), DELETE: (c) => none(deleteApiApp(c, c.p[0]!)) }],
  [/^\/api\/v1\/apps\/([^/]+)\/lifecycle\/([^/]+)$/, { POST: (c) => appLifecycle(c, c.p[0]!, c.p[1]!) }],
  [/^\/api\/v1\/apps\/([^/]+)\/credentials\/secrets$/, { POST: (c) => newAppSecret(c, c.p[0]!) }],
  [/^\/api\/v1\/logs$/, { GET: (c) => listing(listLogs(c.deps, c.query)) }],
  [/^\/api\/v1\/eventHooks$/, { GET: (c) => all(listApiEventHooks(c)), POST: (c) => createApiEventHook(c, c.body) }],
  [/^\/api\/v1\/eventHooks\/([^/]+)$/, { GET: (c) => getApiEventHook(c, c.p[0]!), DELETE: (c) => none(deleteApiEventHook(c, c.p[0]!)) }],
  [/^\/api\/v1\/eventHooks\/([^/]+)\/lifecycle\/([^/]+)$/, { POST: (c) => eventHookLifecycle(c, c.p[0]!, c.p[1]!) }],
];

function sendApiErrorObject(res: ServerResponse, e: ApiError) {
  sendJson(res, e.status, {
    errorCode: e.code, errorSummary: e.summary, errorLink: e.code, errorId: 'oae' + randomToken(12),
    errorCauses: e.causes.map((c) => ({ errorSummary: c })),
  }, { ...NO_STORE, ...e.headers });
}

async function jsonBody(ctx: HttpContext): Promise<Body> {
  const buf = await readBody(ctx.req, ctx.deps.cfg.maxBodyBytes);
  if (buf.length === 0) return {};
  if (!isJsonType(mediaType(ctx.req))) throw malformedBody('The request body must be application/json.');
  return parseJsonObject(buf);
}

function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw notFound(s.slice(0, 40));
  }
}

async function handle(ctx: HttpContext): Promise<void> {
  const { deps, req, res } = ctx;
  const method = req.method === 'HEAD' ? 'GET' : req.method ?? 'GET';
  const token = await authenticate(deps, req.headers.authorization);
  const rate = await spendApiCall(deps, token);
  for (const [k, v] of Object.entries(rate)) res.setHeader(k, v);
  const path = ctx.url.pathname;
  const match = ROUTES.map(([re, ops]) => ({ m: re.exec(path), ops })).find((x) => x.m);
  if (!match) throw notFound(path.slice(0, 100));
  const op = match.ops[method];
  if (!op) {
    res.setHeader('Allow', Object.keys(match.ops).join(', '));
    throw methodNotAllowed();
  }
  checkWrite(token, method);
  const body = method === 'POST' || method === 'PUT' ? await jsonBody(ctx) : {};
  const result = await op({ deps, token, p: match.m!.slice(1).map(decodeSegment), query: ctx.url.searchParams, body });
  if (result === undefined) {
    res.writeHead(204, NO_STORE);
    res.end();
    return;
  }
  if (result && typeof result === 'object' && 'listing' in result) {
    const { items, next } = (result as { listing: Listing }).listing;
    const self = new URL(deps.cfg.baseUrl + path);
    for (const [k, v] of ctx.url.searchParams) self.searchParams.append(k, v);
    const links = [`<${self.href}>; rel="self"`];
    if (next) {
      const n = new URL(self.href);
      n.searchParams.set('after', next);
      links.push(`<${n.href}>; rel="next"`);
    }
    return sendJson(res, 200, items, { ...NO_STORE, Link: links.join(', ') });
  }
  sendJson(res, 200, result, NO_STORE);
}

export const managementApiRoute: Route = {
  methods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'], family: 'plain',
  handler: async (ctx) => {
    try {
      await handle(ctx);
    } catch (e) {
      if (e instanceof ApiError) return sendApiErrorObject(ctx.res, e);
      if (e instanceof HttpError) return sendApiErrorObject(ctx.res, new ApiError(e.status, 'E0000003', e.message));
      // A cursor we did not issue, or a value the database refuses as data: the caller's to fix.
      if (e instanceof StoreRejectedValue) return sendApiErrorObject(ctx.res, new ApiError(400, 'E0000001', 'Api validation failed: after', [e.message]));
      throw e;
    }
  },
};
