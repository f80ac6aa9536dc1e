// Transport for /idp/idx/*: JSON bodies (application/json or application/ion+json, any okta-version),
// no content negotiation on Accept (auth-js sends the form's `accepts` there), IDX media type out.
import type { HttpContext, Route } from './context.js';
import { cookie, sessionCookie } from './context.js';
import { DEVICE_COOKIE } from '../identity/remember-device.js';
import { HttpError, isJsonType, mediaType, parseJsonObject, readBody } from './body.js';
import { sendIdx } from './respond.js';
import { clientIp } from './client-ip.js';
import { cancelIdx, introspectIdx, submitIdx, type IdxResult } from '../idx/engine.js';
import { ALL_ACTIONS, ALL_REMEDIATIONS } from '../idx/steps.js';

async function json(ctx: HttpContext) {
  const buf = await readBody(ctx.req, ctx.deps.cfg.maxBodyBytes);
  if (!isJsonType(mediaType(ctx.req))) throw new HttpError(415, 'unsupported_media_type', 'The request must be application/json or application/ion+json.');
  return parseJsonObject(buf);
}

function send(ctx: HttpContext, r: IdxResult, errorType?: string) {
  const cookies: string[] = [];
  if (r.session) cookies.push(sessionCookie(ctx.deps.cfg.baseUrl, r.session.id, r.session.maxAgeSeconds));
  if (r.device) cookies.push(sessionCookie(ctx.deps.cfg.baseUrl, r.device.value, r.device.maxAgeSeconds, DEVICE_COOKIE));
  if (cookies.length) ctx.res.setHeader('Set-Cookie', cookies);
  if (r.retryAfterSeconds !== undefined) ctx.res.setHeader('Retry-After', String(r.retryAfterSeconds));
  sendIdx(ctx.res, r.status, r.body, r.status >= 400 && errorType ? errorType : undefined);
}

const remediation = (path: string): Route => ({
  methods: ['POST'], family: 'idx',
  handler: async (ctx) => send(ctx, await submitIdx(ctx.deps, path, await json(ctx), clientIp(ctx.req, ctx.deps.cfg.trustedProxies), cookie(ctx.req, DEVICE_COOKIE))),
});

export const IDX_ROUTES: Record<string, Route> = {
  '/idp/idx/introspect': {
    methods: ['POST'], family: 'idx',
    // auth-js (Node) parses a non-2xx introspect body only when its type contains "application/json"
    // (spec §6.2), so introspect errors use that type; everything else keeps Okta's ion+json.
    handler: async (ctx) => send(ctx, await introspectIdx(ctx.deps, await json(ctx)), 'application/json; okta-version=1.0.0'),
  },
  // Every remediation's and action's path, written once in its module (several forms may share one path).
  ...Object.fromEntries([...ALL_REMEDIATIONS, ...ALL_ACTIONS].map((r) => [r.path, remediation(r.path)])),
  '/idp/idx/cancel': {
    methods: ['POST'], family: 'idx',
    handler: async (ctx) => send(ctx, await cancelIdx(ctx.deps, await json(ctx))),
  },
};
