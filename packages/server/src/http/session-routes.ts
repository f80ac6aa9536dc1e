// GET and DELETE /api/v1/sessions/me, as Okta answers them: okta-auth-js's `session.exists()` / `get()` and
// `closeSession()` call these from the browser (with credentials, so only trusted origins get CORS) to ask
// whether the IdP session cookie is live and to end it.
import type { Route } from './context.js';
import { currentSignIn, sessionCookie } from './context.js';
import { NO_STORE, sendJson } from './respond.js';
import { randomToken } from '../random.js';
import { endSession } from '../identity/idp-sessions.js';

const notFound = { errorCode: 'E0000007', errorSummary: 'Not found: Resource not found: me (Session)', errorLink: 'E0000007', errorCauses: [] };

export const sessionMeRoute: Route = {
  methods: ['GET', 'DELETE'], family: 'idx',
  handler: async (ctx) => {
    const { deps, res } = ctx;
    const signedIn = await currentSignIn(ctx);
    if (!signedIn) return sendJson(res, 404, { ...notFound, errorId: 'oae' + randomToken(12) }, NO_STORE);
    const { session, user } = signedIn;
    if (ctx.req.method === 'DELETE') {
      await endSession(deps, session);
      res.writeHead(204, { ...NO_STORE, 'Set-Cookie': sessionCookie(deps.cfg.baseUrl, '', 0) });
      res.end();
      return;
    }
    const iso = (ms: number) => new Date(ms).toISOString();
    sendJson(res, 200, {
      id: session.id, userId: user.id, login: user.login, createdAt: iso(session.authTime), expiresAt: iso(session.expiresAt),
      status: 'ACTIVE', lastPasswordVerification: session.amr.includes('pwd') ? iso(session.authTime) : null,
      lastFactorVerification: session.amr.some((m) => m !== 'pwd' && m !== 'mfa') ? iso(session.authTime) : null,
      amr: session.amr, idp: { id: 'gatehouse', type: 'OKTA' }, mfaActive: session.amr.includes('mfa'),
    }, NO_STORE);
  },
};
