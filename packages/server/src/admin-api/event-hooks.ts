// Event hooks (issue 11), the management side: create, verify, activate/deactivate, delete, and how a hook is shown
// (to the CLI, and in Okta's /api/v1/eventHooks shape). Okta's rules: a hook receives events only once it has
// answered the one-time verification GET (X-Okta-Verification-Challenge → {"verification": challenge}) and while
// ACTIVE; only a deactivated hook can be deleted. Delivery itself is in hook-delivery.ts.
import type { KeyVault } from '../keys/key-vault.js';
import { AdminError } from '../identity/admin.js';
import { newId, randomToken } from '../random.js';
import type { EventHook, Store } from '../store/interfaces.js';
import { checkHookUrl, hookRequest, storedTypesFor } from './hook-delivery.js';
import { iso, str, type Body } from './shapes.js';
import type { Actor } from './users.js';
import { invalidField, notFound } from './errors.js';

/** What creating and verifying a hook needs: the CLI and the server both have it. */
export interface HookContext {
  store: Store;
  vault: KeyVault;
  /** The verification request's time limit. */
  timeoutMs: number;
  now: number;
}

export interface NewEventHook {
  name?: string;
  url: string;
  /** Okta eventTypes, e.g. user.session.start. */
  events: string[];
  /** The value sent in `authHeader` with every request (Okta's authScheme value). */
  secret?: string;
  authHeader?: string;
}

const EVENT_TYPE = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+){1,6}$/;
const HEADER_NAME = /^[A-Za-z0-9-]{1,64}$/;
const MAX_EVENTS = 50;

export async function createEventHook(ctx: HookContext, input: NewEventHook, opts: { verify?: boolean; actorId?: string } = {}): Promise<{ hook: EventHook; verified: boolean; reason?: string }> {
  const url = checkHookUrl(input.url);
  const name = (input.name ?? new URL(url).host).trim();
  if (!name || name.length > 255) throw new AdminError('name must be 1-255 characters', 'name');
  const events = [...new Set(input.events)];
  if (events.length === 0 || events.length > MAX_EVENTS) throw new AdminError(`give 1-${MAX_EVENTS} event types`, 'events');
  for (const e of events) if (!EVENT_TYPE.test(e)) throw new AdminError(`"${e.slice(0, 80)}" is not an event type (e.g. user.session.start)`, 'events');
  const authHeader = input.authHeader ?? 'Authorization';
  if (!HEADER_NAME.test(authHeader)) throw new AdminError('the authorization header name must be a header name', 'authHeader');
  if (input.secret !== undefined && (input.secret.length === 0 || input.secret.length > 1024 || /[\r\n\0]/.test(input.secret))) {
    throw new AdminError('the secret must be 1-1024 characters on one line', 'secret');
  }
  const hook: EventHook = {
    id: newId('who'), name, url, authHeader, authValueSealed: input.secret === undefined ? null : await ctx.vault.seal(input.secret), events,
    status: 'ACTIVE', verificationStatus: 'UNVERIFIED', createdAt: ctx.now, updatedAt: ctx.now, lastDeliveryAt: null, lastAttemptAt: null,
    lastError: null, failures: 0, delivered: 0, pending: 0,
  };
  await ctx.store.eventHooks.create(hook, storedTypesFor(events));
  await ctx.store.events.append({ type: 'event_hook.created', at: ctx.now, actorId: opts.actorId ?? null, detail: { eventHookId: hook.id, name, url } });
  if (opts.verify === false) return { hook: (await ctx.store.eventHooks.findById(hook.id))!, verified: false, reason: 'not verified yet' };
  const v = await verifyEventHook(ctx, hook.id);
  return { hook: v.hook, verified: v.verified, reason: v.reason };
}

/**
 * Okta's one-time verification: GET the hook's URL with a fresh challenge in X-Okta-Verification-Challenge (and the
 * secret); the receiver must answer 200 with {"verification": challenge}. Then the hook is VERIFIED and gets events.
 */
export async function verifyEventHook(ctx: HookContext, id: string): Promise<{ hook: EventHook; verified: boolean; reason?: string }> {
  const hook = await ctx.store.eventHooks.findById(id);
  if (!hook) throw new AdminError('no such event hook', 'id');
  const challenge = randomToken(32);
  const secret = hook.authValueSealed ? await ctx.vault.open(hook.authValueSealed) : null;
  const r = await hookRequest(hook, secret, { method: 'GET', headers: { 'X-Okta-Verification-Challenge': challenge } }, ctx.timeoutMs, { readBody: true });
  let reason: string | undefined;
  if (!r.ok) reason = r.error;
  else {
    let answer: unknown;
    try { answer = JSON.parse(r.body ?? ''); } catch { answer = undefined; }
    if ((answer as { verification?: unknown } | undefined)?.verification !== challenge) reason = 'the answer was not {"verification": "<the challenge>"}';
  }
  if (reason === undefined) await ctx.store.eventHooks.setVerified(id, ctx.now);
  await ctx.store.events.append({ type: reason === undefined ? 'event_hook.verified' : 'event_hook.verification_failed', at: ctx.now, detail: { eventHookId: id, ...(reason ? { reason } : {}) } });
  return { hook: (await ctx.store.eventHooks.findById(id))!, verified: reason === undefined, reason };
}

export async function setEventHookStatus(store: Store, id: string, status: EventHook['status'], now: number): Promise<EventHook> {
  if (!(await store.eventHooks.setStatus(id, status, now))) throw new AdminError('no such event hook', 'id');
  await store.events.append({ type: status === 'ACTIVE' ? 'event_hook.activated' : 'event_hook.deactivated', at: now, detail: { eventHookId: id } });
  return (await store.eventHooks.findById(id))!;
}

/** Okta's rule: only a deactivated hook is deleted. 'active' when it is still ACTIVE. */
export async function deleteEventHook(store: Store, id: string, now: number): Promise<'deleted' | 'missing' | 'active'> {
  if (await store.eventHooks.delete(id)) {
    await store.events.append({ type: 'event_hook.deleted', at: now, detail: { eventHookId: id } });
    return 'deleted';
  }
  return (await store.eventHooks.findById(id)) ? 'active' : 'missing';
}

/** The CLI's view: the hook and its delivery status, never the secret. */
export function describeEventHook(h: EventHook) {
  return {
    id: h.id, name: h.name, url: h.url, events: h.events, status: h.status, verificationStatus: h.verificationStatus,
    authHeader: h.authValueSealed ? h.authHeader : null, created: iso(h.createdAt),
    delivery: { lastDelivery: iso(h.lastDeliveryAt), lastAttempt: iso(h.lastAttemptAt), lastError: h.lastError, failures: h.failures, delivered: h.delivered, pending: h.pending },
  };
}

/** Okta's EventHook object (GET /api/v1/eventHooks/{id}); the secret's value is never returned, as Okta. */
export function renderEventHook(h: EventHook, baseUrl: string) {
  const self = `${baseUrl}/api/v1/eventHooks/${h.id}`;
  return {
    id: h.id, status: h.status, verificationStatus: h.verificationStatus, name: h.name, description: null,
    created: iso(h.createdAt), createdBy: null, lastUpdated: iso(h.updatedAt),
    events: { type: 'EVENT_TYPE', items: h.events, filter: null },
    channel: {
      type: 'HTTP', version: '1.0.0',
      config: { uri: h.url, headers: [], method: 'POST', authScheme: h.authValueSealed ? { type: 'HEADER', key: h.authHeader } : null },
    },
    _links: {
      self: { href: self },
      verify: { href: `${self}/lifecycle/verify`, hints: { allow: ['POST'] } },
      [h.status === 'ACTIVE' ? 'deactivate' : 'activate']: { href: `${self}/lifecycle/${h.status === 'ACTIVE' ? 'deactivate' : 'activate'}`, hints: { allow: ['POST'] } },
    },
  };
}

// --- /api/v1/eventHooks (Okta's shape: create, then POST lifecycle/verify; deactivate before delete) ---------------

const apiCtx = (a: Actor): HookContext => ({ store: a.deps.store, vault: a.deps.vault, timeoutMs: a.deps.cfg.eventHooks.timeoutMs, now: a.deps.now() });

async function findHook(a: Actor, id: string): Promise<EventHook> {
  const h = await a.deps.store.eventHooks.findById(id);
  if (!h) throw notFound(id.slice(0, 40));
  return h;
}

function asApiError(e: unknown): never {
  if (e instanceof AdminError) {
    const field = ({ url: 'channel.config.uri', events: 'events.items', secret: 'channel.config.authScheme.value', authHeader: 'channel.config.authScheme.key' } as Record<string, string>)[e.field ?? ''] ?? e.field ?? 'name';
    throw invalidField(field, e.message);
  }
  throw e;
}

export const listApiEventHooks = async (a: Actor) => (await a.deps.store.eventHooks.list()).map((h) => renderEventHook(h, a.deps.cfg.baseUrl));
export const getApiEventHook = async (a: Actor, id: string) => renderEventHook(await findHook(a, id), a.deps.cfg.baseUrl);

export async function createApiEventHook(a: Actor, body: Body) {
  const events = body.events as { type?: unknown; items?: unknown } | undefined;
  if (!events || events.type !== 'EVENT_TYPE' || !Array.isArray(events.items) || !events.items.every((x) => typeof x === 'string')) {
    throw invalidField('events', 'events must be {"type": "EVENT_TYPE", "items": ["user.session.start", …]}.');
  }
  const channel = body.channel as { type?: unknown; config?: { uri?: unknown; headers?: unknown; authScheme?: { type?: unknown; key?: unknown; value?: unknown } | null } } | undefined;
  if (!channel || channel.type !== 'HTTP' || !channel.config) throw invalidField('channel', 'channel must be {"type": "HTTP", "version": "1.0.0", "config": {"uri": …}}.');
  if (Array.isArray(channel.config.headers) && channel.config.headers.length > 0) throw invalidField('channel.config.headers', 'Extra headers are not supported; use authScheme.');
  const scheme = channel.config.authScheme ?? null;
  if (scheme !== null && scheme.type !== 'HEADER') throw invalidField('channel.config.authScheme.type', 'Only HEADER is supported.');
  try {
    const r = await createEventHook(apiCtx(a), {
      name: str(body.name, 'name', 255), url: str(channel.config.uri, 'channel.config.uri', 1024), events: events.items as string[],
      secret: scheme ? str(scheme.value, 'channel.config.authScheme.value', 1024) : undefined,
      authHeader: scheme?.key === undefined ? undefined : str(scheme.key, 'channel.config.authScheme.key', 64),
    }, { verify: false, actorId: a.token.id });
    return renderEventHook(r.hook, a.deps.cfg.baseUrl);
  } catch (e) {
    asApiError(e);
  }
}

export async function eventHookLifecycle(a: Actor, id: string, action: string) {
  const h = await findHook(a, id);
  if (action === 'verify') {
    const r = await verifyEventHook(apiCtx(a), h.id);
    if (!r.verified) throw invalidField('verificationStatus', `Verification failed: ${r.reason}`);
    return renderEventHook(r.hook, a.deps.cfg.baseUrl);
  }
  if (action !== 'activate' && action !== 'deactivate') throw notFound(action.slice(0, 40));
  return renderEventHook(await setEventHookStatus(a.deps.store, h.id, action === 'activate' ? 'ACTIVE' : 'INACTIVE', a.deps.now()), a.deps.cfg.baseUrl);
}

export async function deleteApiEventHook(a: Actor, id: string) {
  const h = await findHook(a, id);
  const r = await deleteEventHook(a.deps.store, h.id, a.deps.now());
  if (r === 'active') throw invalidField('status', 'Deactivate the event hook before deleting it.');
}
