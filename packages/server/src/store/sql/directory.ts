// The management API's statements (issue 11): pages of users, groups and events, groups and membership, API
// tokens. Same rules as store.ts: written once for both databases, `?` parameters only; filters arrive parsed
// and are compiled by conditions.ts against the fixed column tables below. Pages are keyset pages, fetched one
// row long to know whether another page follows, and always LIMITed.
import { StoreRejectedValue } from '../../errors.js';
import type { ApiTokenStore, AuditEvent, Condition, DirectoryQuery, DirectoryUser, EventAttr, GroupAttr, GroupStore, Page, UserAttr } from '../interfaces.js';
import type { Db } from './db.js';
import { compileCondition, decodeCursor, encodeCursor } from './conditions.js';
import { toApiToken, toEvent, toGroup, toUser } from './rows.js';

const USER_COLUMNS: Record<UserAttr, { sql: string; text: boolean }> = {
  id: { sql: 'u.id', text: false },
  status: { sql: 'u.api_status', text: false },
  created: { sql: 'u.created_at', text: false },
  activated: { sql: 'u.activated_at', text: false },
  statusChanged: { sql: 'u.status_changed_at', text: false },
  lastLogin: { sql: 'u.last_login_at', text: false },
  lastUpdated: { sql: 'u.updated_at', text: false },
  passwordChanged: { sql: 'u.password_changed_at', text: false },
  'profile.login': { sql: 'u.login', text: true },
  'profile.email': { sql: 'u.email', text: true },
  'profile.firstName': { sql: 'u.first_name', text: true },
  'profile.lastName': { sql: 'u.last_name', text: true },
  'profile.locale': { sql: 'u.locale', text: true },
};

const GROUP_COLUMNS: Record<GroupAttr, { sql: string; text: boolean }> = {
  id: { sql: 'id', text: false },
  created: { sql: 'created_at', text: false },
  lastUpdated: { sql: 'updated_at', text: false },
  lastMembershipUpdated: { sql: 'membership_updated_at', text: false },
  'profile.name': { sql: 'name', text: true },
  'profile.description': { sql: 'description', text: true },
};

const EVENT_COLUMNS: Record<EventAttr, { sql: string; text: boolean }> = {
  type: { sql: 'type', text: false },
  userId: { sql: 'user_id', text: false },
  clientId: { sql: 'client_id', text: false },
  actorId: { sql: 'actor_id', text: false },
};

/**
 * Okta's statuses from what we store: the lifecycle status, then what the credentials say about an ACTIVE user
 * (locked now, no password yet, an administrator's reset under way, password expired). One definition, used for
 * filtering and for display alike.
 */
const API_STATUS = `CASE WHEN users.status <> 'ACTIVE' THEN users.status
  WHEN users.locked_until IS NOT NULL AND users.locked_until > ? THEN 'LOCKED_OUT'
  WHEN pw.status IS NULL THEN 'PROVISIONED'
  WHEN pw.status = 'PENDING' THEN 'RECOVERY'
  WHEN users.password_expired = ? THEN 'PASSWORD_EXPIRED'
  ELSE 'ACTIVE' END`;

function keyset(after: string | undefined, params: unknown[], alias = ''): string {
  if (!after) return '1 = 1';
  const [createdAt, id] = decodeCursor(after);
  params.push(createdAt, createdAt, id);
  return `(${alias}created_at > ? OR (${alias}created_at = ? AND ${alias}id > ?))`;
}

function pageOf<T extends { createdAt: number; id: string }>(rows: T[], limit: number): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, next: rows.length > limit && last ? encodeCursor(last.createdAt, last.id) : null };
}

export async function userPage(db: Db, q: DirectoryQuery): Promise<Page<DirectoryUser>> {
  const params: unknown[] = [q.now, db.bool(true)];
  let member = '';
  if (q.groupId !== undefined) {
    member = 'JOIN group_members gm ON gm.user_id = users.id AND gm.group_id = ?';
    params.push(q.groupId);
  }
  const where = q.where ? compileCondition(q.where, USER_COLUMNS, params) : '1 = 1';
  const after = keyset(q.after, params, 'u.');
  params.push(q.limit + 1);
  const rows = await db.all(`SELECT * FROM (
      SELECT users.*, CASE WHEN pw.status = 'ACTIVE' THEN pw.config END AS password_config, ${API_STATUS} AS api_status
      FROM users LEFT JOIN enrollments pw ON pw.user_id = users.id AND pw.authenticator = 'okta_password' ${member}
    ) u WHERE ${where} AND ${after} ORDER BY u.created_at, u.id LIMIT ?`, params);
  return pageOf(rows.map((r) => ({ ...toUser(r), apiStatus: r.api_status })), q.limit);
}

export async function eventPage(db: Db, q: { where?: Condition<EventAttr>; since: number; until: number; after?: string; limit: number; descending?: boolean }): Promise<Page<AuditEvent>> {
  const params: unknown[] = [q.since, q.until];
  const where = q.where ? compileCondition(q.where, EVENT_COLUMNS, params) : '1 = 1';
  let after = '1 = 1';
  if (q.after !== undefined) {
    if (!/^\d{1,15}$/.test(q.after)) throw new StoreRejectedValue('not a cursor this server issued');
    after = q.descending ? 'id < ?' : 'id > ?';
    params.push(Number(q.after));
  }
  params.push(q.limit + 1);
  const rows = (await db.all(`SELECT * FROM events WHERE at >= ? AND at < ? AND ${where} AND ${after}
    ORDER BY id ${q.descending ? 'DESC' : 'ASC'} LIMIT ?`, params)).map(toEvent);
  const items = rows.slice(0, q.limit);
  return { items, next: rows.length > q.limit ? String(items[items.length - 1]!.id) : null };
}

export function groupStore(db: Db): GroupStore {
  return {
    create: async (g) => (await db.run(`INSERT INTO org_groups (id, name, name_lower, description, created_at, updated_at, membership_updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, [g.id, g.name, g.name.toLowerCase(), g.description, g.createdAt, g.updatedAt, g.membershipUpdatedAt])) === 1,
    async findById(id) {
      const r = await db.get('SELECT * FROM org_groups WHERE id = ?', [id]);
      return r ? toGroup(r) : null;
    },
    async page(q) {
      const params: unknown[] = [];
      const where = q.where ? compileCondition(q.where, GROUP_COLUMNS, params) : '1 = 1';
      const after = keyset(q.after, params);
      params.push(q.limit + 1);
      return pageOf((await db.all(`SELECT * FROM org_groups WHERE ${where} AND ${after} ORDER BY created_at, id LIMIT ?`, params)).map(toGroup), q.limit);
    },
    update: (id, p, now) => db.transaction(async (t) => {
      const taken = await t.get('SELECT id FROM org_groups WHERE name_lower = ? AND id <> ?', [p.name.toLowerCase(), id]);
      if (taken) return 'conflict' as const;
      const n = await t.run('UPDATE org_groups SET name = ?, name_lower = ?, description = ?, updated_at = ? WHERE id = ?',
        [p.name, p.name.toLowerCase(), p.description, now, id]);
      return n === 1 ? 'updated' as const : 'missing' as const;
    }),
    delete: async (id) => (await db.run('DELETE FROM org_groups WHERE id = ?', [id])) === 1,
    addMember: (groupId, userId, now) => db.transaction(async (t) => {
      if (!(await t.get('SELECT 1 AS one FROM org_groups WHERE id = ?', [groupId])) || !(await t.get('SELECT 1 AS one FROM users WHERE id = ?', [userId]))) return false;
      if ((await t.run('INSERT INTO group_members (group_id, user_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING', [groupId, userId, now])) === 1) {
        await t.run('UPDATE org_groups SET membership_updated_at = ? WHERE id = ?', [now, groupId]);
      }
      return true;
    }),
    removeMember: (groupId, userId, now) => db.transaction(async (t) => {
      if ((await t.run('DELETE FROM group_members WHERE group_id = ? AND user_id = ?', [groupId, userId])) === 1) {
        await t.run('UPDATE org_groups SET membership_updated_at = ? WHERE id = ?', [now, groupId]);
      }
    }),
    listForUser: async (userId) => (await db.all(`SELECT g.* FROM org_groups g JOIN group_members m ON m.group_id = g.id
      WHERE m.user_id = ? ORDER BY g.created_at, g.id`, [userId])).map(toGroup),
  };
}

export function apiTokenStore(db: Db): ApiTokenStore {
  return {
    async create(t) {
      await db.run('INSERT INTO api_tokens (id, name, token_hash, read_only, created_at) VALUES (?, ?, ?, ?, ?)',
        [t.id, t.name, t.tokenHash, db.bool(t.readOnly), t.createdAt]);
    },
    async findByHash(hash) {
      const r = await db.get('SELECT * FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL', [hash]);
      return r ? toApiToken(r) : null;
    },
    list: async () => (await db.all('SELECT * FROM api_tokens ORDER BY created_at, id')).map(toApiToken),
    revoke: async (id, now) => (await db.run('UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', [now, id])) === 1,
  };
}
