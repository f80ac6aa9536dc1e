// /api/v1/logs, the System Log: our audit events in Okta's LogEvent shape, oldest first like Okta, with since,
// until, filter (eventType eq|sw, target.id eq, actor.id eq), q, limit and after. Events written before the
// management API carry our own type names; OKTA_EVENT_TYPES maps them, and filters on eventType match both.
// Deliberate difference: a request without `until` is not an endless poll; the last page has no `next` link, so
// the SDK's collection iterator ends.
import type { Deps } from '../deps.js';
import type { AuditEvent, Condition, EventAttr } from '../store/interfaces.js';
import { invalidField, invalidSearch } from './errors.js';
import { ExpressionError, parseExpression } from './expression.js';
import { iso, listLimit, type Listing } from './shapes.js';

/** Our event types → Okta's eventType; types not listed are Okta's names already (written by the management API). */
export const OKTA_EVENT_TYPES: Record<string, string> = {
  'signin.success': 'user.session.start',
  'signin.failure': 'user.session.start',
  'factor.success': 'user.authentication.auth_via_mfa',
  'factor.failure': 'user.authentication.auth_via_mfa',
  'user.lockout': 'user.account.lock',
  'token.issue': 'app.oauth2.as.token.grant',
  'token.revoke': 'app.oauth2.as.token.revoke',
  'signin.rate_limited': 'system.org.rate_limit.violation',
  'user.password.reset': 'user.account.update_password',
  'user.password.reset_requested': 'user.account.reset_password',
  'email.sent': 'system.email.delivery',
  'email.failed': 'system.email.delivery',
  'app.update': 'application.lifecycle.update',
  'app.secret_rotated': 'app.oauth2.client.secret.rotate',
  'origin.add': 'trustedorigin.create',
  'origin.remove': 'trustedorigin.delete',
  'user.unlock': 'user.account.unlock',
  'user.deactivate': 'user.lifecycle.deactivate',
  'user.suspend': 'user.lifecycle.suspend',
  'user.activate': 'user.lifecycle.activate',
  'user.set-password': 'user.account.update_password',
  'user.create': 'user.lifecycle.create',
  'app.create': 'application.lifecycle.create',
  'policy.set': 'policy.lifecycle.update',
};
const FAILURES = new Set(['signin.failure', 'factor.failure', 'email.failed', 'signin.rate_limited']);

const oktaType = (t: string) => OKTA_EVENT_TYPES[t] ?? t;
const ourTypesFor = (okta: string, prefix: boolean) =>
  Object.keys(OKTA_EVENT_TYPES).filter((k) => (prefix ? OKTA_EVENT_TYPES[k]!.startsWith(okta) : OKTA_EVENT_TYPES[k] === okta));

type LogAttr = 'eventType' | 'target.id' | 'actor.id';

function translate(c: Condition<LogAttr>): Condition<EventAttr> {
  if ('terms' in c) return { op: c.op, terms: c.terms.map(translate) };
  if (c.op !== 'eq' && !(c.op === 'sw' && c.attr === 'eventType')) throw invalidSearch(`${c.attr} supports ${c.attr === 'eventType' ? 'eq and sw' : 'eq'} only`);
  const value = String((c as { value: string }).value);
  if (c.attr === 'eventType') {
    return { op: 'or', terms: [{ op: c.op, attr: 'type', value }, { op: 'in', attr: 'type', values: ourTypesFor(value, c.op === 'sw') }] };
  }
  if (c.attr === 'actor.id') return { op: 'eq', attr: 'actorId', value };
  return { op: 'or', terms: [{ op: 'eq', attr: 'userId', value }, { op: 'eq', attr: 'clientId', value }] };
}

function time(params: URLSearchParams, name: string): number | undefined {
  const v = params.get(name);
  if (v === null) return undefined;
  const ms = /^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})$/.test(v) ? Date.parse(v) : NaN;
  if (Number.isNaN(ms)) throw invalidField(name, 'Must be an ISO 8601 date and time.');
  return ms;
}

export async function listLogs(deps: Deps, params: URLSearchParams): Promise<Listing> {
  const now = deps.now();
  const terms: Condition<EventAttr>[] = [];
  const filter = params.get('filter');
  if (filter !== null) {
    try {
      terms.push(translate(parseExpression<LogAttr>(filter, { eventType: 'text', 'target.id': 'text', 'actor.id': 'text' })));
    } catch (e) {
      if (e instanceof ExpressionError) throw invalidSearch(e.message);
      throw e;
    }
  }
  const q = params.get('q');
  if (q !== null) {
    const words = q.split(/\s+/).filter(Boolean);
    if (q.length > 256 || words.length > 10) throw invalidSearch('q is at most 10 words and 256 characters');
    for (const w of words) {
      terms.push({ op: 'or', terms: [{ op: 'co', attr: 'type', value: w }, { op: 'in', attr: 'type', values: ourTypesFor(w, true) },
        { op: 'eq', attr: 'userId', value: w }, { op: 'eq', attr: 'clientId', value: w }, { op: 'eq', attr: 'actorId', value: w }] });
    }
  }
  const sortOrder = params.get('sortOrder') ?? 'ASCENDING';
  if (sortOrder !== 'ASCENDING' && sortOrder !== 'DESCENDING') throw invalidField('sortOrder', 'Must be ASCENDING or DESCENDING.');
  const page = await deps.store.events.page({
    where: terms.length ? { op: 'and', terms } : undefined, since: time(params, 'since') ?? now - 7 * 24 * 3600_000, until: time(params, 'until') ?? now + 1,
    after: params.get('after') ?? undefined, limit: listLimit(params, 100, 1000), descending: sortOrder === 'DESCENDING',
  });
  const tokens = new Map((await deps.store.apiTokens.list()).map((t) => [t.id, t.name]));
  return { items: page.items.map((e) => renderLogEvent(e, tokens)), next: page.next };
}

export function renderLogEvent(e: AuditEvent, tokenNames: Map<string, string>) {
  const d = (e.detail ?? {}) as Record<string, unknown>;
  const login = typeof d.login === 'string' ? d.login : undefined;
  const actor = e.actorId
    ? { id: e.actorId, type: 'ApiToken', alternateId: tokenNames.get(e.actorId) ?? e.actorId, displayName: tokenNames.get(e.actorId) ?? e.actorId }
    : e.userId ? { id: e.userId, type: 'User', alternateId: login ?? e.userId, displayName: login ?? e.userId }
    : e.clientId ? { id: e.clientId, type: 'PublicClientApp', alternateId: e.clientId, displayName: e.clientId }
    : { id: 'gatehouse', type: 'SystemPrincipal', alternateId: 'system@gatehouse', displayName: 'Gatehouse' };
  const target = [
    ...(e.userId ? [{ id: e.userId, type: 'User', alternateId: login ?? e.userId, displayName: login ?? e.userId }] : []),
    ...(e.clientId ? [{ id: e.clientId, type: 'AppInstance', alternateId: e.clientId, displayName: e.clientId }] : []),
    ...(typeof d.groupId === 'string' ? [{ id: d.groupId, type: 'UserGroup', alternateId: d.groupId, displayName: typeof d.name === 'string' ? d.name : d.groupId }] : []),
  ];
  const failed = FAILURES.has(e.type);
  const uuid = `00000000-0000-4000-8000-${(e.id ?? 0).toString(16).padStart(12, '0')}`;
  return {
    uuid, published: iso(e.at), eventType: oktaType(e.type), version: '0', severity: failed ? 'WARN' : 'INFO', legacyEventType: e.type,
    displayMessage: e.type, actor, client: { ipAddress: typeof d.ip === 'string' ? d.ip : null }, authenticationContext: {}, securityContext: {},
    outcome: { result: failed ? 'FAILURE' : 'SUCCESS', reason: typeof d.reason === 'string' ? d.reason : null },
    target, transaction: { type: 'WEB', id: String(e.id ?? ''), detail: {} }, debugContext: { debugData: d }, request: { ipChain: [] },
  };
}
