// Parsed filter/search expressions (interfaces.ts `Condition`) to SQL, for both databases. The attribute names
// are a closed set mapped to fixed column expressions here; every value is a `?` parameter, so nothing the
// caller wrote ever becomes SQL text. Keyset cursors for the management API's pages live here too.
import { StoreRejectedValue } from '../../errors.js';
import type { Condition } from '../interfaces.js';

/** LIKE with our own escape character, the same in SQLite and PostgreSQL. */
const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => '\\' + c);

const COMPARE = { eq: '=', ne: '<>', gt: '>', ge: '>=', lt: '<', le: '<=' } as const;

/**
 * `columns` maps each attribute to a trusted SQL expression; string comparisons (eq, sw, co) are made without
 * regard to case, as Okta's search does, by comparing lower() on both sides.
 */
export function compileCondition<A extends string>(c: Condition<A>, columns: Record<A, { sql: string; text: boolean }>, params: unknown[]): string {
  if ('terms' in c) {
    if (c.terms.length === 0) return c.op === 'and' ? '1 = 1' : '1 = 0';
    return '(' + c.terms.map((t) => compileCondition(t, columns, params)).join(c.op === 'and' ? ' AND ' : ' OR ') + ')';
  }
  const col = columns[c.attr];
  if (!col) throw new StoreRejectedValue(`unknown attribute ${String(c.attr).slice(0, 40)}`);
  if (c.op === 'pr') return col.text ? `(${col.sql} IS NOT NULL AND ${col.sql} <> '')` : `${col.sql} IS NOT NULL`;
  if (c.op === 'in') {
    if (c.values.length === 0) return '1 = 0';
    params.push(...c.values);
    return `${col.sql} IN (${c.values.map(() => '?').join(', ')})`;
  }
  if (!('value' in c)) throw new StoreRejectedValue('a comparison without a value');
  const lhs = col.text ? `lower(${col.sql})` : col.sql;
  if (c.op === 'sw' || c.op === 'co') {
    params.push((c.op === 'co' ? '%' : '') + likeEscape(String(c.value).toLowerCase()) + '%');
    return `lower(${col.sql}) LIKE ? ESCAPE '\\'`;
  }
  params.push(col.text ? String(c.value).toLowerCase() : c.value);
  const sql = `${lhs} ${COMPARE[c.op]} ?`;
  return c.op === 'ne' ? `(${col.sql} IS NULL OR ${sql})` : sql;
}

/** A keyset cursor over (created_at, id): opaque to callers, checked when read back. */
export function encodeCursor(createdAt: number, id: string): string {
  return Buffer.from(`${createdAt}:${id}`).toString('base64url');
}

export function decodeCursor(cursor: string): [number, string] {
  const m = /^(\d{1,16}):([A-Za-z0-9]{1,40})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!m) throw new StoreRejectedValue('not a cursor this server issued');
  return [Number(m[1]), m[2]!];
}
