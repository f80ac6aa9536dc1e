// Event hooks and their delivery queue (issue 11). Same rules as store.ts: written once for both databases, `?`
// parameters only. The queue is claimed by one conditional UPDATE whose WHERE repeats the lease test: on PostgreSQL
// a second claimer that picked the same rows waits for the first, re-reads them, finds them leased and skips them;
// SQLite runs one writer at a time. So a row is never held by two owners at once, and complete/fail/release only
// touch rows their caller still holds.
import type { EventHookStore, HookBatch } from '../interfaces.js';
import type { Db } from './db.js';
import { toEvent, toEventHook } from './rows.js';

const HOOKS = `SELECT h.*, (SELECT COUNT(*) FROM event_hook_queue q WHERE q.hook_id = h.id) AS pending FROM event_hooks h`;
const FREE = '(lease_until IS NULL OR lease_until <= ?)';
const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');

export function eventHookStore(db: Db): EventHookStore {
  return {
    async create(h, types) {
      await db.transaction(async (t) => {
        await t.run(`INSERT INTO event_hooks (id, name, url, auth_header, auth_value_sealed, events, status, verification_status, created_at,
          updated_at, last_delivery_at, last_attempt_at, last_error, failures, delivered) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [h.id, h.name, h.url, h.authHeader, h.authValueSealed, JSON.stringify(h.events), h.status, h.verificationStatus, h.createdAt, h.updatedAt,
          h.lastDeliveryAt, h.lastAttemptAt, h.lastError, h.failures, h.delivered]);
        for (const type of new Set(types)) await t.run('INSERT INTO event_hook_types (hook_id, type) VALUES (?, ?)', [h.id, type]);
      });
    },
    async findById(id) {
      const r = await db.get(`${HOOKS} WHERE h.id = ?`, [id]);
      return r ? toEventHook(r) : null;
    },
    list: async () => (await db.all(`${HOOKS} ORDER BY h.created_at, h.id`)).map(toEventHook),
    setStatus: async (id, status, now) => (await db.run('UPDATE event_hooks SET status = ?, updated_at = ? WHERE id = ?', [status, now, id])) === 1,
    setVerified: async (id, now) => (await db.run(`UPDATE event_hooks SET verification_status = 'VERIFIED', updated_at = ? WHERE id = ?`, [now, id])) === 1,
    delete: (id) => db.transaction(async (t) => {
      if ((await t.get(`SELECT 1 AS one FROM event_hooks WHERE id = ? AND status = 'INACTIVE'`, [id])) === undefined) return false;
      await t.run('DELETE FROM event_hook_queue WHERE hook_id = ?', [id]);
      await t.run('DELETE FROM event_hook_types WHERE hook_id = ?', [id]);
      return (await t.run('DELETE FROM event_hooks WHERE id = ?', [id])) === 1;
    }),
    enqueue: async (eventId, type, now) => db.run(`INSERT INTO event_hook_queue (hook_id, event_id, created_at, attempts, next_attempt_at)
      SELECT h.id, CAST(? AS BIGINT), CAST(? AS BIGINT), 0, CAST(? AS BIGINT) FROM event_hooks h JOIN event_hook_types t ON t.hook_id = h.id
      WHERE t.type = ? AND h.status = 'ACTIVE' AND h.verification_status = 'VERIFIED'`, [eventId, now, now, type]),
    async claim(owner, now, leaseMs, limit) {
      // The hook: the one with the oldest due row, among ACTIVE hooks with no live lease (one batch per hook at a time).
      const rows = await db.all<{ id: number; hook_id: string; event_id: number; attempts: number }>(`UPDATE event_hook_queue
        SET lease_owner = ?, lease_until = ?
        WHERE id IN (SELECT q.id FROM event_hook_queue q WHERE q.hook_id = (
            SELECT d.hook_id FROM event_hook_queue d JOIN event_hooks h ON h.id = d.hook_id
            WHERE h.status = 'ACTIVE' AND d.next_attempt_at <= ? AND (d.lease_until IS NULL OR d.lease_until <= ?)
              AND NOT EXISTS (SELECT 1 FROM event_hook_queue l WHERE l.hook_id = d.hook_id AND l.lease_until > ?)
            ORDER BY d.next_attempt_at, d.id LIMIT 1)
          AND q.next_attempt_at <= ? AND (q.lease_until IS NULL OR q.lease_until <= ?) ORDER BY q.id LIMIT ?)
        AND ${FREE}
        RETURNING id, hook_id, event_id, attempts`, [owner, now + leaseMs, now, now, now, now, now, limit, now]);
      if (rows.length === 0) return null;
      const hook = await db.get(`${HOOKS} WHERE h.id = ?`, [rows[0]!.hook_id]);
      if (!hook) return null;
      const eventIds = rows.map((r) => Number(r.event_id));
      const events = (await db.all(`SELECT * FROM events WHERE id IN (${marks(eventIds.length)}) ORDER BY id`, eventIds)).map(toEvent);
      return { hook: toEventHook(hook), ids: rows.map((r) => Number(r.id)).sort((a, b) => a - b), attempts: Math.max(...rows.map((r) => Number(r.attempts))), events };
    },
    complete: (b, owner, now) => db.transaction(async (t) => {
      const n = await t.run(`DELETE FROM event_hook_queue WHERE id IN (${marks(b.ids.length)}) AND lease_owner = ?`, [...b.ids, owner]);
      await t.run(`UPDATE event_hooks SET last_delivery_at = ?, last_attempt_at = ?, last_error = NULL, failures = 0, delivered = delivered + ?
        WHERE id = ?`, [now, now, n, b.hook.id]);
      return n;
    }),
    async fail(b: HookBatch, owner, now, retryAt, error) {
      await db.transaction(async (t) => {
        const n = await t.run(`UPDATE event_hook_queue SET attempts = attempts + 1, next_attempt_at = ?, lease_owner = NULL, lease_until = NULL
          WHERE id IN (${marks(b.ids.length)}) AND lease_owner = ?`, [retryAt, ...b.ids, owner]);
        if (n > 0) await t.run('UPDATE event_hooks SET last_attempt_at = ?, last_error = ?, failures = failures + 1 WHERE id = ?', [now, error.slice(0, 500), b.hook.id]);
      });
    },
    async release(b, owner) {
      await db.run(`UPDATE event_hook_queue SET lease_owner = NULL, lease_until = NULL WHERE id IN (${marks(b.ids.length)}) AND lease_owner = ?`, [...b.ids, owner]);
    },
  };
}
