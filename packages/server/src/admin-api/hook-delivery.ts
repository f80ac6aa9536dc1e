// Event hook delivery (issue 11): Okta's event hook request (POST {eventType: 'com.okta.event_hook', data: {events:
// [LogEvent…]}}) to each verified, ACTIVE hook, from the durable queue in the database (store.eventHooks), in the
// background: a sign-in only writes its event (and the queue row, in the same store call) and never waits on a hook.
//
// Every instance runs one worker. It claims one hook's due rows at a time under a lease (no two instances hold the
// same rows), POSTs them with the hook's secret header, and deletes them when the receiver answers 2xx; otherwise they
// go back due after an exponential backoff with jitter. A lease outlives the request's time limit, so a batch is never
// sent by two instances at once; an instance that dies leaves its lease to expire and the rows are sent again
// (at-least-once, as Okta: receivers de-duplicate on each event's uuid). Undelivered rows survive restarts.
//
// The requests: https only, except http to a loopback address (tests, a sidecar); redirects are never followed (a
// 3xx is a failure); a time limit on each; the answer's body is not read beyond a few KiB.
import { randomUUID } from 'node:crypto';
import type { Deps } from '../deps.js';
import { AdminError } from '../identity/admin.js';
import { randomToken } from '../random.js';
import type { EventHook, EventStore, HookBatch } from '../store/interfaces.js';
import { OKTA_EVENT_TYPES, renderLogEvent } from './logs.js';
import { iso } from './shapes.js';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
const MAX_ANSWER_BYTES = 16 * 1024;
/** Batches sent at once by one instance (each to a different hook). */
const PARALLEL = 4;

/** The URL as it will be used; an AdminError (field `url`) when it is not allowed. */
export function checkHookUrl(raw: string): string {
  let u: URL;
  try { u = new URL(raw); } catch { throw new AdminError('the URL is not an absolute URL', 'url'); }
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && LOOPBACK.has(u.hostname))) {
    throw new AdminError('the URL must be https (http only to 127.0.0.1, [::1] or localhost)', 'url');
  }
  if (u.username || u.password) throw new AdminError('the URL must not carry credentials; use the secret', 'url');
  if (u.hash) throw new AdminError('the URL must not have a fragment', 'url');
  if (raw.length > 1024) throw new AdminError('the URL is longer than 1024 characters', 'url');
  return u.toString();
}

export interface HookAnswer {
  ok: boolean;
  status?: number;
  /** Why it failed, short and without the secret. */
  error?: string;
  body?: string;
}

/** One request to a hook: its secret header, no redirects, a time limit (and an outside abort, at shutdown). */
export async function hookRequest(hook: Pick<EventHook, 'url' | 'authHeader'>, secret: string | null,
  req: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string }, timeoutMs: number,
  opts: { readBody?: boolean; signal?: AbortSignal } = {}): Promise<HookAnswer> {
  const signals = [AbortSignal.timeout(timeoutMs), ...(opts.signal ? [opts.signal] : [])];
  let res: Response;
  try {
    res = await fetch(checkHookUrl(hook.url), {
      method: req.method, redirect: 'manual', signal: AbortSignal.any(signals),
      headers: { Accept: 'application/json', 'User-Agent': 'Gatehouse-EventHooks', ...req.headers, ...(secret !== null ? { [hook.authHeader]: secret } : {}) },
      body: req.body,
    });
  } catch (e) {
    return { ok: false, error: describeFailure(e, timeoutMs) };
  }
  try {
    if (res.status >= 300 && res.status < 400) return { ok: false, status: res.status, error: `HTTP ${res.status}: redirects are not followed` };
    if (res.status < 200 || res.status >= 300) return { ok: false, status: res.status, error: `HTTP ${res.status}` };
    return { ok: true, status: res.status, body: opts.readBody ? await readCapped(res) : undefined };
  } catch (e) {
    return { ok: false, status: res.status, error: describeFailure(e, timeoutMs) };
  } finally {
    await res.body?.cancel().catch(() => {});
  }
}

async function readCapped(res: Response): Promise<string> {
  if (!res.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > MAX_ANSWER_BYTES) throw new Error(`the answer is longer than ${MAX_ANSWER_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function describeFailure(e: unknown, timeoutMs: number): string {
  const err = e as Error & { cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
  if (err.name === 'AbortError') return 'aborted';
  return (err.cause?.code ?? err.cause?.message ?? err.message ?? String(e)).slice(0, 200);
}

/** The stored event types a hook on these Okta eventTypes receives: the names themselves, and ours that map to them. */
export function storedTypesFor(events: string[]): string[] {
  return [...new Set(events.flatMap((t) => [t, ...Object.keys(OKTA_EVENT_TYPES).filter((k) => OKTA_EVENT_TYPES[k] === t)]))];
}

/** Okta's event hook request body for a batch. */
export function eventHookPayload(batch: HookBatch, baseUrl: string, now: number, tokenNames: Map<string, string>) {
  return {
    eventType: 'com.okta.event_hook', eventTypeVersion: '1.0', cloudEventsVersion: '0.1', source: `${baseUrl}/api/v1/eventHooks/${batch.hook.id}`,
    eventId: randomUUID(), eventTime: iso(now), contentType: 'application/json',
    data: { events: batch.events.map((e) => renderLogEvent(e, tokenNames)) },
  };
}

/** The delay before attempt `attempts + 1`: doubling from the base, capped, with jitter (half to all of it). */
export function backoff(attempts: number, baseMs: number, maxMs: number, random = Math.random): number {
  const full = Math.min(maxMs, baseMs * 2 ** Math.min(attempts, 30));
  return Math.ceil(full / 2 + (full / 2) * random());
}

export interface HookWorker {
  /** An event of this type was just written here: look at the queue now if a hook wants it. */
  wake(type: string): void;
  /** Stops claiming; batches in flight are aborted and handed back to the queue. */
  close(): Promise<void>;
}

/** The audit log, waking the worker when an event a hook wants is written (it is queued by the store's append). */
export function wakingEvents(events: EventStore, worker: () => HookWorker | undefined): EventStore {
  return {
    ...events,
    append: async (e) => {
      const id = await events.append(e);
      worker()?.wake(e.type);
      return id;
    },
  };
}

/** The background worker of one instance: drains the queue when woken and every `pollMs`. */
export function startHookWorker(deps: Pick<Deps, 'cfg' | 'store' | 'vault' | 'now' | 'log'>): HookWorker {
  const { timeoutMs, retryBaseMs, retryMaxMs, pollMs, batchSize } = deps.cfg.eventHooks;
  const owner = 'whw' + randomToken(12);
  // Longer than any request may take, so a live instance's batch is never claimed by another.
  const leaseMs = timeoutMs * 2 + 30_000;
  const stop = new AbortController();
  const inflight = new Set<Promise<void>>();
  let timer: NodeJS.Timeout | undefined;
  let draining = false;
  let again = false;
  let closed = false;
  // The stored types some verified, ACTIVE hook receives, refreshed on every pass: only those wake the worker early.
  let wanted = new Set<string>();

  const schedule = (ms: number) => {
    if (closed) return;
    clearTimeout(timer);
    timer = setTimeout(() => void drain(), ms);
    timer.unref();
  };

  async function deliver(batch: HookBatch) {
    const now = deps.now();
    try {
      const secret = batch.hook.authValueSealed ? await deps.vault.open(batch.hook.authValueSealed) : null;
      const tokens = new Map((await deps.store.apiTokens.list()).map((t) => [t.id, t.name]));
      const body = JSON.stringify(eventHookPayload(batch, deps.cfg.baseUrl, now, tokens));
      const r = await hookRequest(batch.hook, secret, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body }, timeoutMs, { signal: stop.signal });
      if (r.ok) {
        await deps.store.eventHooks.complete(batch, owner, deps.now());
        again = true;
      } else if (closed) {
        await deps.store.eventHooks.release(batch, owner);
      } else {
        const at = deps.now();
        await deps.store.eventHooks.fail(batch, owner, at, at + backoff(batch.attempts, retryBaseMs, retryMaxMs), r.error ?? 'failed');
        deps.log.info({ eventHookId: batch.hook.id, events: batch.ids.length, attempts: batch.attempts + 1, error: r.error }, 'event hook delivery failed; will retry');
      }
    } catch (e) {
      // The store failed (or the secret did not open): the lease expires and the rows are tried again.
      deps.log.warn({ err: e, eventHookId: batch.hook.id }, 'event hook delivery could not be recorded');
    }
  }

  async function drain(): Promise<void> {
    if (closed) return;
    if (draining) { again = true; return; }
    draining = true;
    clearTimeout(timer);
    try {
      wanted = new Set(storedTypesFor((await deps.store.eventHooks.list())
        .filter((h) => h.status === 'ACTIVE' && h.verificationStatus === 'VERIFIED').flatMap((h) => h.events)));
      do {
        again = false;
        while (!closed) {
          if (inflight.size >= PARALLEL) { await Promise.race(inflight); continue; }
          const batch = await deps.store.eventHooks.claim(owner, deps.now(), leaseMs, batchSize);
          if (!batch) break;
          const p = deliver(batch).finally(() => { inflight.delete(p); if (again && !draining) void drain(); });
          inflight.add(p);
        }
      } while (again && !closed);
    } catch (e) {
      deps.log.warn({ err: e }, 'event hook queue could not be read');
    } finally {
      draining = false;
      schedule(pollMs);
    }
  }

  schedule(0);
  return {
    wake(type) {
      if (!wanted.has(type)) return;
      if (!closed && !draining) schedule(0);
      else again = true;
    },
    async close() {
      closed = true;
      clearTimeout(timer);
      stop.abort();
      while (inflight.size > 0 || draining) await Promise.race([...inflight, new Promise((r) => setTimeout(r, 10))]);
    },
  };
}
