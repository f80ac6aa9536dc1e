// Transport for the OAuth/OIDC endpoints: turn requests into plain values for oauth/*, and results into
// responses. No protocol decisions here beyond status codes and headers.
import { createHash } from 'node:crypto';
import { decodeJwt, jwtVerify } from 'jose';
import type { HttpContext, Route } from './context.js';
import { currentSession, sessionCookie } from './context.js';
import { HttpError, isFormType, mediaType, parseForm, readBody } from './body.js';
import { NO_STORE, errorPage, sendBytes, sendHtml, sendJson } from './respond.js';
import { discoveryDocument } from '../oauth/discovery.js';
import { tokenEndpoint } from '../oauth/token-endpoint.js';
import { bearerToken, userinfo } from '../oauth/userinfo.js';
import { introspect, revoke } from '../oauth/introspect-revoke.js';
import { interact } from '../idx/interact.js';
import { endSession } from '../identity/idp-sessions.js';
import { isRegisteredRedirectUri } from '../oauth/redirect-uri.js';
import { refuseControlCharacters } from '../oauth/params.js';
import { issuerOf } from '../deps.js';
import { authorize } from './authorize.js';

async function form(ctx: HttpContext): Promise<Record<string, string>> {
  return formOf(ctx, await readBody(ctx.req, ctx.deps.cfg.maxBodyBytes));
}

function formOf(ctx: HttpContext, buf: Buffer): Record<string, string> {
  if (!isFormType(mediaType(ctx.req))) throw new HttpError(400, 'invalid_request', 'The request body must be application/x-www-form-urlencoded.');
  const params = parseForm(buf);
  refuseControlCharacters(params);
  return params;
}

const discoveryCache = new WeakMap<object, Map<string, { body: Buffer; etag: string }>>();

function cachedJson(ctx: HttpContext, key: string, make: () => unknown) {
  let perServer = discoveryCache.get(ctx.server);
  if (!perServer) discoveryCache.set(ctx.server, (perServer = new Map()));
  let entry = perServer.get(key);
  if (!entry) {
    const body = Buffer.from(JSON.stringify(make()));
    entry = { body, etag: '"' + createHash('sha256').update(body).digest('base64url').slice(0, 27) + '"' };
    perServer.set(key, entry);
  }
  return entry;
}

function sendCached(ctx: HttpContext, entry: { body: Buffer; etag: string }, maxAge: number) {
  const headers = { 'Content-Type': 'application/json', ETag: entry.etag, 'Cache-Control': `public, max-age=${maxAge}` };
  if (ctx.req.headers['if-none-match'] === entry.etag) {
    ctx.res.writeHead(304, headers);
    ctx.res.end();
    return;
  }
  sendBytes(ctx.res, 200, ctx.req.method === 'HEAD' ? Buffer.alloc(0) : entry.body, headers);
}

const discovery: Route = {
  methods: ['GET', 'HEAD'], family: 'oauth',
  handler: async (ctx) => sendCached(ctx, cachedJson(ctx, 'discovery', () => discoveryDocument(ctx.deps.cfg, ctx.server)), 3600),
};

const keys: Route = {
  methods: ['GET', 'HEAD'], family: 'oauth',
  handler: async (ctx) => sendCached(ctx, ctx.deps.keys.jwks(), 300),
};

/**
 * Compatibility quirk, kept on purpose: okta-idx-golang's RedeemInteractionCode (the Go twin of the seed's
 * RedeemInteractionCodeAsync) POSTs an empty body with every parameter, client_secret included, in the query
 * string, and Okta answers it. RFC 6749 §2.3.1 says credentials must not travel in the URI, so this is allowed
 * for that one request shape only: an interaction_code grant with an empty body. Gatehouse never logs query
 * strings; anything else reads the body alone.
 */
async function tokenForm(ctx: HttpContext): Promise<Record<string, string>> {
  const buf = await readBody(ctx.req, ctx.deps.cfg.maxBodyBytes);
  const query = ctx.req.url?.includes('?') ? ctx.url.searchParams : null;
  if (buf.length === 0 && query?.get('grant_type') === 'interaction_code') {
    const params: Record<string, string> = Object.create(null);
    for (const [k, v] of query) {
      if (k in params) throw new HttpError(400, 'invalid_request', `The ${k.slice(0, 50)} parameter is repeated.`);
      params[k] = v;
    }
    refuseControlCharacters(params);
    return params;
  }
  return formOf(ctx, buf);
}

const token: Route = {
  methods: ['POST'], family: 'oauth',
  handler: async (ctx) => {
    const body = await tokenEndpoint(ctx.deps, ctx.server, ctx.req.headers.authorization, await tokenForm(ctx));
    sendJson(ctx.res, 200, body, NO_STORE);
  },
};

const userinfoRoute: Route = {
  methods: ['GET', 'POST'], family: 'oauth',
  handler: async (ctx) => {
    const f = ctx.req.method === 'POST' && isFormType(mediaType(ctx.req)) ? await form(ctx) : undefined;
    const claims = await userinfo(ctx.deps, ctx.server, bearerToken(ctx.req.headers.authorization, f, ctx.url.searchParams));
    sendJson(ctx.res, 200, claims, NO_STORE);
  },
};

const introspectRoute: Route = {
  methods: ['POST'], family: 'oauth',
  handler: async (ctx) => sendJson(ctx.res, 200, await introspect(ctx.deps, ctx.server, ctx.req.headers.authorization, await form(ctx)), NO_STORE),
};

const revokeRoute: Route = {
  methods: ['POST'], family: 'oauth',
  handler: async (ctx) => {
    await revoke(ctx.deps, ctx.server, ctx.req.headers.authorization, await form(ctx));
    sendBytes(ctx.res, 200, Buffer.alloc(0), NO_STORE);
  },
};

const interactRoute: Route = {
  methods: ['POST'], family: 'oauth',
  handler: async (ctx) => {
    const started = await interact(ctx.deps, ctx.server, await form(ctx));
    sendJson(ctx.res, 200, { interaction_handle: started.interactionHandle }, NO_STORE);
  },
};

/**
 * RP-initiated logout (OIDC RP-Initiated Logout 1.0): ends the IdP session and redirects only to a
 * post-logout URI registered for the client the id_token_hint was issued to.
 */
const logout: Route = {
  methods: ['GET'], family: 'html',
  handler: async (ctx) => {
    const { deps, url } = ctx;
    refuseControlCharacters(Object.fromEntries(url.searchParams));
    const hint = url.searchParams.get('id_token_hint');
    const target = url.searchParams.get('post_logout_redirect_uri');
    const state = url.searchParams.get('state');
    let clientId = url.searchParams.get('client_id');
    if (hint) {
      try {
        // Expired hints are fine (the user is signing out); the signature and issuer must be ours.
        const { payload } = await jwtVerify(hint, async (h) => {
          const k = h.kid ? deps.keys.publicKey(h.kid) : undefined;
          if (!k) throw new Error('unknown kid');
          return k;
        }, { algorithms: ['RS256'], issuer: issuerOf(deps.cfg, ctx.server), currentDate: new Date(decodeJwt(hint).iat! * 1000) });
        clientId = String(Array.isArray(payload.aud) ? payload.aud[0] : payload.aud);
      } catch {
        return sendHtml(ctx.res, 400, errorPage('Sign-out failed', 'The id_token_hint is not valid.'));
      }
    }
    const session = await currentSession(ctx);
    if (session) await endSession(deps, session);
    const clear = { 'Set-Cookie': sessionCookie(deps.cfg.baseUrl, '', 0) };
    if (target) {
      const app = clientId ? await deps.store.apps.findByClientId(clientId) : null;
      if (!app || !isRegisteredRedirectUri(app.postLogoutRedirectUris, target)) {
        return sendHtml(ctx.res, 400, errorPage('Sign-out failed', 'The post_logout_redirect_uri is not registered for this application.'), clear);
      }
      const to = new URL(target);
      if (state) to.searchParams.set('state', state);
      ctx.res.writeHead(302, { Location: to.href, 'Cache-Control': 'no-store', ...clear });
      ctx.res.end();
      return;
    }
    sendHtml(ctx.res, 200, errorPage('Signed out', 'You have been signed out.'), clear);
  },
};

/** Endpoints below {issuer-base}/v1/. */
export const OAUTH_V1: Record<string, Route> = {
  keys, token, userinfo: userinfoRoute, introspect: introspectRoute, revoke: revokeRoute, interact: interactRoute, logout, authorize,
};

export const WELL_KNOWN: Record<string, Route> = {
  'openid-configuration': discovery,
  'oauth-authorization-server': discovery,
};
