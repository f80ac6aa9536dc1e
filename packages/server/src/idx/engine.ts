// One IDX call end to end (STYLE §2), independent of HTTP: load the transaction by its handle, check the
// form or action is offered by its step now, validate the input, collect the step's facts, let advance.ts pick
// the next step, persist with optimistic concurrency, and render. Errors re-render the unchanged transaction;
// the stateHandle is never rotated.
import type { IdxMessage, IdxResponse } from '@gatehouse/protocol';
import type { z } from 'zod';
import type { Deps } from '../deps.js';
import { endpointBase, issuerOf } from '../deps.js';
import { sha256 } from '../random.js';
import { mintCode } from './mint-code.js';
import { openSession } from '../identity/idp-sessions.js';
import { deviceCookieValue, factorPrint, isRemembered } from '../identity/remember-device.js';
import type { App, AuthenticatorKey, OrgPolicy, Transaction, User } from '../store/interfaces.js';
import { advance, isAssured, isFinished, record, stronger, type FlowPolicy } from './advance.js';
import { AUTHENTICATORS } from '../identity/authenticators/registry.js';
import { maskEmail } from '../identity/authenticators/email.js';
import { enrollmentData } from '../identity/authenticators/totp.js';
import { activationData, challengeData, credentialObjects } from '../identity/authenticators/webauthn.js';
import { ceremonyFor, rpIdOf } from './webauthn-ceremony.js';
import { autofillChallenge } from './remediations/challenge-webauthn-autofill.js';
import type { Fact, StepContext, ViewContext } from './remediation.js';
import { stepOf } from './steps.js';
import { MAX_HANDLE_LENGTH, stateHandleFor } from './handles.js';
import { accountUnlocked, concurrentUpdate, fieldBlank, fieldInvalid, IdxError, sessionExpiredError, stepNotAvailable, tooManyRequests, transactionCancelled } from './messages.js';
import { TooManyAttempts } from '../identity/rate-limit.js';
import { renderIdxResponse, renderTerminal } from './render.js';

export interface IdxResult {
  status: number;
  body: IdxResponse;
  /** A new IdP session to set as a cookie (only on success). */
  session?: { id: string; /** Cookie lifetime; none for a browser-session cookie. */ maxAgeSeconds?: number };
  /** Remember this device (identity/remember-device.ts): a signed cookie for the browser. */
  device?: { value: string; maxAgeSeconds: number };
  /** With a 429: seconds until the client may try again (`Retry-After`). */
  retryAfterSeconds?: number;
}

interface Loaded {
  tx: Transaction;
  app: App;
  stateHandle: string;
}

const handle = (v: unknown) => (typeof v === 'string' && v.length > 0 && v.length <= MAX_HANDLE_LENGTH ? v : undefined);

async function loadByStateHandle(deps: Deps, raw: unknown): Promise<Loaded> {
  const stateHandle = handle(raw);
  if (!stateHandle) throw sessionExpiredError();
  const tx = await deps.store.transactions.findByStateHandle(sha256(stateHandle), deps.now());
  return finishLoad(deps, tx, stateHandle);
}

async function finishLoad(deps: Deps, tx: Transaction | null, stateHandle: string): Promise<Loaded> {
  if (!tx || isFinished(tx.step)) throw sessionExpiredError();
  const app = await deps.store.apps.findByClientId(tx.clientId);
  if (!app) throw sessionExpiredError();
  return { tx, app, stateHandle };
}

async function viewOf(deps: Deps, l: Loaded, tx: Transaction): Promise<ViewContext> {
  // Only recovery shows the password rules; sign-in does not pay for reading the policy.
  const policy = tx.context.intent === 'CREDENTIAL_RECOVERY' || tx.step === 'enroll-profile' ? await deps.store.policies.get() : NO_POLICY;
  const view: ViewContext = { app: l.app, baseUrl: deps.cfg.baseUrl, stateHandle: l.stateHandle, policy, mailEnabled: deps.mail.enabled };
  const c = tx.context;
  // Enrollment and WebAuthn screens carry data made from sealed or stored state (a QR code, the user's credentials).
  if (tx.step === 'enroll' && c.enrolling?.key === 'google_otp' && c.enrolling.sealedSecret) {
    view.totp = await enrollmentData(await deps.vault.open(c.enrolling.sealedSecret), deps.cfg.brandName, tx.identifier ?? '');
  }
  if (tx.step === 'identify') {
    const org = await orgPolicy(deps);
    view.selfService = { registration: org.registration?.enabled === true, unlock: org.selfServiceUnlock === true };
  }
  if (tx.step === 'enroll-profile') view.profileSchema = await deps.store.profileSchema.list();
  if (tx.step === 'identify' && (await orgPolicy(deps)).authenticators?.webauthn !== 'INACTIVE') {
    view.passkeyAutofill = { challenge: autofillChallenge(deps.vault, tx), rpId: rpIdOf(deps.cfg), userVerification: 'preferred', timeout: 300_000 };
  }
  const webauthnStep = (tx.step === 'enroll' && c.enrolling?.key === 'webauthn') || (tx.step === 'challenge' && c.current === 'webauthn');
  if (webauthnStep && tx.userId) {
    const user = await deps.store.users.findById(tx.userId);
    const mine = (await deps.store.enrollments.listForUser(tx.userId)).filter((e) => e.authenticator === 'webauthn' && e.status === 'ACTIVE');
    const ceremony = await ceremonyFor(deps);
    view.webauthn = {
      credentials: credentialObjects(mine),
      ...(tx.step === 'enroll' && user ? { activationData: activationData(ceremony, user, c.enrolling!.challenge!, mine) } : {}),
      ...(tx.step === 'challenge' && c.webauthnChallenge ? { challengeData: challengeData(ceremony, c.webauthnChallenge) } : {}),
    };
  }
  return view;
}

// The org policy as the identify page needs it (is WebAuthn on?), read at most every few seconds: it only decides
// whether the passkey autofill form is shown; every check that enforces policy reads the store.
let cachedPolicy: { at: number; policy: Promise<OrgPolicy>; store: unknown } | undefined;
function orgPolicy(deps: Deps): Promise<OrgPolicy> {
  const now = Date.now();
  if (!cachedPolicy || cachedPolicy.store !== deps.store || now - cachedPolicy.at > 5_000) cachedPolicy = { at: now, policy: deps.store.policies.get(), store: deps.store };
  return cachedPolicy.policy;
}

/** What this transaction's sign-in must reach, and — only when it is not reached yet — what the user could use. */
async function policyFor(deps: Deps, app: App, tx: Transaction, deviceCookie?: string): Promise<FlowPolicy> {
  const assurance = stronger(app.assurance, tx.context.assurance);
  if (!tx.userId || isAssured(tx.context.satisfied ?? [], assurance)) return { assurance, active: [] };
  const org = await deps.store.policies.get();
  const active = (Object.keys(AUTHENTICATORS) as AuthenticatorKey[])
    .filter((k) => org.authenticators?.[k] !== 'INACTIVE' && (k !== 'okta_email' || deps.mail.enabled));
  const all = await deps.store.enrollments.listForUser(tx.userId);
  const enrolled = all
    .filter((e) => e.status === 'ACTIVE' && active.includes(e.authenticator))
    .map((e) => ({ key: e.authenticator, enrollmentId: e.id, ...(e.authenticator === 'okta_email' ? { profile: { email: maskEmail(String(e.config.email ?? '')) } } : {}) }));
  const rememberedDevice = app.rememberDeviceMinutes > 0 && isRemembered(deps.vault, deviceCookie, tx.userId, factorPrint(all), deps.now());
  return { assurance, active, enrolled, rememberedDevice };
}
const NO_POLICY = { lockout: { maxAttempts: 0, durationSeconds: 0 }, password: { minLength: 0, excludeUsername: false } };

async function render(deps: Deps, l: Loaded, extra: { messages?: IdxMessage[]; fieldMessages?: Record<string, IdxMessage[]>; code?: string; tx?: Transaction; user?: User | null } = {}) {
  const tx = extra.tx ?? l.tx;
  return renderIdxResponse(tx, {
    ...(await viewOf(deps, l, tx)), tokenEndpoint: `${endpointBase(deps.cfg, serverOf(deps, l.tx))}/token`,
    issuer: issuerOf(deps.cfg, serverOf(deps, l.tx)), ...extra,
  });
}

function serverOf(deps: Deps, tx: Transaction) {
  const server = deps.servers.get(tx.authServerId);
  if (!server) throw new Error(`unknown authorization server ${tx.authServerId}`);
  return server;
}

/** POST /idp/idx/introspect: the current state, by interactionHandle or stateToken/stateHandle. */
export async function introspectIdx(deps: Deps, body: Record<string, unknown>): Promise<IdxResult> {
  return guard(deps, null, async () => {
    let loaded: Loaded;
    const ih = handle(body.interactionHandle);
    if (ih) {
      const tx = await deps.store.transactions.findByInteractionHandle(sha256(ih), deps.now());
      loaded = await finishLoad(deps, tx, stateHandleFor(deps.vault, ih));
    } else {
      loaded = await loadByStateHandle(deps, body.stateToken ?? body.stateHandle);
    }
    return { status: 200, body: await render(deps, loaded) };
  });
}

/** POST to a remediation's or an action's href. */
export async function submitIdx(deps: Deps, path: string, body: Record<string, unknown>, ip?: string, deviceCookie?: string): Promise<IdxResult> {
  let loaded: Loaded | null = null;
  return guard(deps, () => loaded, async () => {
    loaded = await loadByStateHandle(deps, body.stateHandle);
    const { tx, app } = loaded;
    const ctx: StepContext = { app, ip };
    const step = stepOf(tx);
    let facts: Fact[];
    const view = await viewOf(deps, loaded, tx);
    const remediation = step.remediations(tx, view).find((r) => r.path === path);
    if (remediation) {
      const parsed = (remediation.input(ctx) as z.ZodType).safeParse(body);
      if (!parsed.success) throw inputError(parsed.error);
      facts = await remediation.submit(tx, parsed.data, deps, ctx);
    } else {
      const action = step.actions(tx, view).find((a) => a.path === path);
      if (!action) throw new IdxError(400, [stepNotAvailable()]);
      facts = await action.submit(tx, deps, ctx);
    }
    const recorded = record(tx, facts);
    const next = advance(recorded, await policyFor(deps, app, recorded, deviceCookie));
    if (next.step === 'done') {
      // A flow that ends in a message, not a code (an unlocked account): the transaction is finished.
      if (!(await deps.store.transactions.update(next, tx.version))) throw new IdxError(400, [concurrentUpdate()]);
      return { status: 200, body: renderTerminal([accountUnlocked()], loaded.stateHandle) };
    }
    if (next.step !== 'success') {
      if (!(await deps.store.transactions.update(next, tx.version))) throw new IdxError(400, [concurrentUpdate()]);
      return { status: 200, body: await render(deps, loaded, { tx: next }) };
    }
    return complete(deps, loaded, next);
  });
}

/** Success: mint the one-time code and move the transaction to `success` in one write; open an IdP session. */
async function complete(deps: Deps, l: Loaded, next: Transaction): Promise<IdxResult> {
  const now = deps.now();
  const user = next.userId ? await deps.store.users.findById(next.userId) : null;
  if (!user) throw new Error('success without a user');
  const session = openSession(deps, user.id, next.amr, next.authTime ?? now, next.rememberMe);
  const minted = mintCode(deps, next, { userId: user.id, amr: next.amr, authTime: next.authTime ?? now, sessionId: session.record.id });
  if (!(await deps.store.transactions.completeWithCode(next, l.tx.version, minted.record, session.record))) throw new IdxError(400, [concurrentUpdate()]);
  // A sign-in that used a second factor on an app that remembers devices: this browser skips it next time.
  const secondFactor = new Set(next.context.satisfied ?? []).size > 1;
  const device = secondFactor && l.app.rememberDeviceMinutes > 0
    ? { value: deviceCookieValue(deps.vault, user.id, factorPrint(await deps.store.enrollments.listForUser(user.id)), now + l.app.rememberDeviceMinutes * 60_000), maxAgeSeconds: l.app.rememberDeviceMinutes * 60 }
    : undefined;
  return { status: 200, body: await render(deps, l, { tx: next, code: minted.code, user }), session: { id: session.cookieValue, maxAgeSeconds: session.maxAgeSeconds }, device };
}

/** POST /idp/idx/cancel: the transaction ends; its handles answer session-expired from now on. */
export async function cancelIdx(deps: Deps, body: Record<string, unknown>): Promise<IdxResult> {
  let loaded: Loaded | null = null;
  return guard(deps, () => loaded, async () => {
    loaded = await loadByStateHandle(deps, body.stateHandle);
    const { tx, stateHandle } = loaded;
    if (!(await deps.store.transactions.update({ ...tx, step: 'cancelled' }, tx.version))) throw new IdxError(400, [concurrentUpdate()]);
    return { status: 200, body: renderTerminal([transactionCancelled()], stateHandle) };
  });
}

/**
 * Turns IdxErrors into responses: terminal ones alone, others over the current (unchanged) forms. A rate
 * limit is a 429 over the same forms: the transaction stays usable once the window has passed.
 */
async function guard(deps: Deps, current: (() => Loaded | null) | null, run: () => Promise<IdxResult>): Promise<IdxResult> {
  try {
    return await run();
  } catch (caught) {
    const retryAfterSeconds = caught instanceof TooManyAttempts ? caught.retryAfterSeconds : undefined;
    const e = retryAfterSeconds === undefined ? caught : new IdxError(429, [tooManyRequests()]);
    if (!(e instanceof IdxError)) throw e;
    const l = current?.();
    if (e.terminal || !l) return { status: e.status, body: renderTerminal(e.messages), retryAfterSeconds };
    return { status: e.status, body: await render(deps, l, { messages: e.messages, fieldMessages: e.fieldMessages }), retryAfterSeconds };
  }
}

function inputError(err: z.ZodError): IdxError {
  const fieldMessages: Record<string, IdxMessage[]> = {};
  for (const issue of err.issues) {
    const path = issue.path.join('.') || 'stateHandle';
    const blank = issue.code === 'too_small' || (issue.code === 'invalid_type' && /undefined/.test(issue.message));
    fieldMessages[path] ??= [blank ? fieldBlank() : fieldInvalid()];
  }
  return new IdxError(400, [], fieldMessages);
}

/**
 * Single sign-on, and step-up: when the session's factors meet what this request needs, the transaction completes
 * at once (completeFromSession); otherwise it resumes from what the session proved, so the hosted page asks only
 * for the missing factor. Returns whether the session was enough.
 */
export async function sessionMeetsPolicy(deps: Deps, app: App, tx: Transaction, session: { amr: string[] }): Promise<boolean> {
  return isAssured(keysOfAmr(session.amr), stronger(app.assurance, tx.context.assurance));
}

export async function resumeFromSession(deps: Deps, app: App, tx: Transaction, session: { userId: string; amr: string[]; authTime: number }, login: string): Promise<void> {
  const seeded: Transaction = { ...tx, identifier: login, userId: session.userId, amr: session.amr, authTime: session.authTime, context: { ...tx.context, satisfied: keysOfAmr(session.amr) } };
  const next = advance(seeded, await policyFor(deps, app, seeded));
  if (!(await deps.store.transactions.update(next, tx.version))) throw new IdxError(400, [concurrentUpdate()]);
}

/** The authenticators an `amr` list says were used. */
function keysOfAmr(amr: string[]): AuthenticatorKey[] {
  return (Object.values(AUTHENTICATORS).filter((a) => a!.amr.some((m) => amr.includes(m))).map((a) => a!.key));
}

/**
 * Single sign-on: a live IdP session completes a hosted-page transaction at once (v1/authorize without
 * prompt=login). The code carries the session's own amr and auth_time. Returns the raw code to redirect with.
 */
export async function completeFromSession(deps: Deps, tx: Transaction, session: { id: string; userId: string; amr: string[]; authTime: number }): Promise<string> {
  const done: Transaction = { ...tx, step: 'success', userId: session.userId, amr: session.amr, authTime: session.authTime };
  const minted = mintCode(deps, done, { userId: session.userId, amr: session.amr, authTime: session.authTime, sessionId: session.id });
  if (!(await deps.store.transactions.completeWithCode(done, tx.version, minted.record))) throw new IdxError(400, [concurrentUpdate()]);
  return minted.code;
}
