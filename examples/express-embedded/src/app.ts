// The seed's sample app: a page that embeds the Gatehouse widget, /interactioncode/callback that redeems
// the interaction code with the PKCE verifier kept in the session, userinfo, tokens in a regenerated
// session, a profile page and sign-out. Sessions live in SQLite, so they survive a restart.
// /login/callback/email-verify is the app's email-verify callback (register it with
// `gatehouse app update --email-verify-uri`): an admin reset's `recovery_token` starts the widget at the new
// password; a magic link's `otp` shows the code to enter where the sign-in started (the widget keeps its
// transaction in that tab only, as the Okta widget does without a saved transaction, spec §4.5).
import { timingSafeEqual } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import express, { type Request, type Response, type NextFunction } from 'express';
import session from 'express-session';
import SqliteStoreFactory from 'better-sqlite3-session-store';
import { IdxClient, GatehouseError } from '@gatehouse/sdk';
import * as views from './views/pages.js';

export interface ExampleConfig {
  issuer: string;
  clientId: string;
  clientSecret?: string;
  /** This app's public origin, e.g. http://localhost:3000. */
  baseUrl: string;
  /** SQLite file for sessions. */
  sessionDb: string;
  sessionSecret: string;
  scopes?: string[];
}

interface SignInContext { codeVerifier: string; codeChallenge: string; state: string; nonce: string; createdAt?: number }

declare module 'express-session' {
  interface SessionData {
    signIn?: SignInContext;
    tokens?: { accessToken: string; idToken: string; refreshToken?: string };
    profile?: Record<string, unknown>;
  }
}

/** Where the app's email links land (the `--email-verify-uri` to register is `${baseUrl}${EMAIL_VERIFY_PATH}`). */
export const EMAIL_VERIFY_PATH = '/login/callback/email-verify';

const sameString = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export function createExampleApp(cfg: ExampleConfig) {
  const redirectUri = `${cfg.baseUrl}/interactioncode/callback`;
  const idx = new IdxClient({ issuer: cfg.issuer, clientId: cfg.clientId, clientSecret: cfg.clientSecret, redirectUri, scopes: cfg.scopes ?? ['openid', 'profile', 'email', 'offline_access'] });
  const gatehouseOrigin = new URL(cfg.issuer).origin;
  const db = new Database(cfg.sessionDb);
  db.pragma('journal_mode = WAL');
  const store = new (sessionStoreClass())({ client: db, expired: { clear: true, intervalMs: 15 * 60_000 } });

  const app = express();
  app.disable('x-powered-by');
  app.use((_req, res, next) => {
    res.setHeader('Content-Security-Policy', [
      "default-src 'self'", `script-src 'self' ${gatehouseOrigin}`, `style-src 'self' ${gatehouseOrigin}`, `connect-src 'self' ${gatehouseOrigin}`,
      "img-src 'self' data:", "frame-ancestors 'none'", "base-uri 'none'",
      // Sign-out is a form post whose redirect goes through Gatehouse's logout, and CSP checks redirects too.
      `form-action 'self' ${gatehouseOrigin}`, "object-src 'none'",
    ].join('; '));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    next();
  });
  app.use('/static', express.static(fileURLToPath(new URL('../public/', import.meta.url))));
  app.use(session({
    name: 'example.sid',
    secret: cfg.sessionSecret,
    store,
    resave: false,
    saveUninitialized: false,
    cookie: { httpOnly: true, sameSite: 'lax', secure: cfg.baseUrl.startsWith('https:'), maxAge: 8 * 3600_000 },
  }));

  let widget: Promise<{ script: string; integrity: string; css: string; cssIntegrity: string }> | null = null;
  const widgetAssets = () => (widget ??= fetch(`${gatehouseOrigin}/widget/manifest.json`).then(async (r) => {
    const m = await r.json() as { files: Record<string, { path: string; integrity: string }> };
    const js = m.files['gatehouse-signin.js'];
    const css = m.files['gatehouse-signin.css'];
    if (!js || !css) throw new Error('the Gatehouse widget is not built');
    return { script: gatehouseOrigin + js.path, integrity: js.integrity, css: gatehouseOrigin + css.path, cssIntegrity: css.integrity };
  }).catch((e) => { widget = null; throw e; }));

  const requireSignIn = (req: Request, res: Response, next: NextFunction) => (req.session.tokens ? next() : res.redirect('/signin'));

  app.get('/', (req, res) => {
    const p = req.session.profile;
    // The logout redirect comes back with state=signed-out; a cancelled sign-in with ?notice=cancelled.
    const notice = req.query.state === 'signed-out' ? 'signed-out' : req.query.notice === 'cancelled' ? 'cancelled' : undefined;
    res.send(views.home(p ? String(p.name ?? p.preferred_username ?? '') : null, notice));
  });

  app.get('/signin', (req, res, next) => renderSignIn(req, res, next));

  const renderSignIn = async (req: Request, res: Response, next: NextFunction, extra: Record<string, string> = {}) => {
    try {
      const { context, widgetConfig } = idx.startInteraction();
      req.session.signIn = context;
      const assets = await widgetAssets();
      req.session.save((err) => (err ? next(err) : res.send(views.signIn(assets, { ...widgetConfig, ...extra }))));
    } catch (e) { next(e); }
  };

  app.get(EMAIL_VERIFY_PATH, async (req, res, next) => {
    const q = (k: string) => (typeof req.query[k] === 'string' ? (req.query[k] as string) : undefined);
    const recoveryToken = q('recovery_token');
    if (recoveryToken && /^[A-Za-z0-9_-]{16,200}$/.test(recoveryToken)) return renderSignIn(req, res, next, { recoveryToken });
    const otp = q('otp');
    if (otp && /^\d{6}$/.test(otp) && q('state')) return res.send(views.enterCode(otp));
    res.status(400).send(views.error('Link not valid', 'This link is incomplete or malformed. Start again from the sign-in page.'));
  });

  app.get('/interactioncode/callback', async (req, res, next) => {
    const q = (k: string) => (typeof req.query[k] === 'string' ? (req.query[k] as string) : undefined);
    const context = req.session.signIn;
    const state = q('state');
    if (!context || !state || !sameString(state, context.state)) {
      return res.status(400).send(views.error('Sign-in failed', 'The sign-in response does not belong to this browser session. Start again.'));
    }
    delete req.session.signIn; // one use: a replayed callback finds no context
    const error = q('error');
    // Cancel in the widget comes back as access_denied: not a failure to the user, so home with a neutral notice.
    // An expired sign-in is access_denied too; its description says so (the widget's English text).
    if (error === 'access_denied' && !/expired/i.test(q('error_description') ?? '')) return req.session.save(() => res.redirect('/?notice=cancelled'));
    if (error) return res.status(400).send(views.error('Sign-in failed', q('error_description') || error));
    const code = q('interaction_code');
    if (!code) return res.status(400).send(views.error('Sign-in failed', 'The callback carried no interaction code.'));
    try {
      const tokens = await idx.redeemInteractionCode(context as any, code);
      const profile = await idx.getUserInfo(tokens.accessToken);
      // A new session id at sign-in (session fixation), then the tokens and profile in it.
      req.session.regenerate((err) => {
        if (err) return next(err);
        req.session.tokens = { accessToken: tokens.accessToken, idToken: tokens.idToken, refreshToken: tokens.refreshToken };
        req.session.profile = profile as Record<string, unknown>;
        req.session.save((err2) => (err2 ? next(err2) : res.redirect('/profile')));
      });
    } catch (e) {
      if (e instanceof GatehouseError) {
        const detail = (e as any).error_description ?? e.message;
        return req.session.save(() => res.status(400).send(views.error('Sign-in failed', String(detail))));
      }
      next(e);
    }
  });

  app.get('/profile', requireSignIn, (req, res) => res.send(views.profile(req.session.profile ?? {})));

  app.post('/signout', async (req, res, next) => {
    const tokens = req.session.tokens;
    try {
      if (tokens?.refreshToken) await idx.revoke(tokens.refreshToken, 'refresh_token').catch(() => undefined);
      if (tokens) await idx.revoke(tokens.accessToken, 'access_token').catch(() => undefined);
    } catch { /* revocation is best effort; the session is cleared regardless */ }
    req.session.destroy((err) => {
      if (err) return next(err);
      res.clearCookie('example.sid');
      if (!tokens) return res.redirect('/');
      res.redirect(idx.logoutUrl({ idToken: tokens.idToken, postLogoutRedirectUri: `${cfg.baseUrl}/`, state: 'signed-out' }));
    });
  });

  app.use((err: Error, _req: Request, res: Response, _next: NextFunction) => {
    console.error('example app error:', err.message);
    res.status(500).send(views.error('Something went wrong', 'Try again in a moment.'));
  });

  return { app, close: () => { store.stop(); db.close(); } };
}

/**
 * better-sqlite3-session-store's expiry sweep is a setInterval it never clears, which keeps the process
 * alive after the app closes; this subclass keeps the sweep but makes it stoppable (and not keep Node up).
 */
function sessionStoreClass() {
  const Base = SqliteStoreFactory(session);
  return class SessionStore extends Base {
    override startInterval() {
      // Called from the base constructor, so the handle cannot live in a class field (it would be reset).
      const self = this as unknown as { _sweep?: NodeJS.Timeout };
      self._sweep = setInterval(() => this.clearExpiredSessions(), this.expired.intervalMs);
      self._sweep.unref();
    }
    stop() {
      clearInterval((this as unknown as { _sweep?: NodeJS.Timeout })._sweep);
    }
  };
}
