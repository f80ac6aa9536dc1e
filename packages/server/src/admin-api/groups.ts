// /api/v1/groups: Okta groups (type OKTA_GROUP) and their members. Names are unique without regard to case.
import type { Deps } from '../deps.js';
import { newId } from '../random.js';
import type { Condition, Group, GroupAttr } from '../store/interfaces.js';
import { alreadyExists, invalidField, invalidSearch, notFound } from './errors.js';
import { ExpressionError, parseExpression, type AttrKind } from './expression.js';
import { iso, listLimit, str, type Body, type Listing } from './shapes.js';
import { findUser, listUsers, type Actor } from './users.js';

const GROUP_ATTRS: Record<GroupAttr, AttrKind> = {
  id: 'text', created: 'date', lastUpdated: 'date', lastMembershipUpdated: 'date', 'profile.name': 'text', 'profile.description': 'text',
};

export function renderGroup(baseUrl: string, g: Group) {
  const self = `${baseUrl}/api/v1/groups/${g.id}`;
  return {
    id: g.id, created: iso(g.createdAt), lastUpdated: iso(g.updatedAt), lastMembershipUpdated: iso(g.membershipUpdatedAt),
    objectClass: ['okta:user_group'], type: 'OKTA_GROUP', profile: { name: g.name, description: g.description || null },
    _links: { self: { href: self }, users: { href: `${self}/users` }, apps: { href: `${self}/apps` }, logo: [] },
  };
}

async function findGroup(deps: Deps, id: string): Promise<Group> {
  const g = id.length <= 64 ? await deps.store.groups.findById(id) : null;
  if (!g) throw notFound(`${id.slice(0, 100)} (UserGroup)`);
  return g;
}

function profileOf(body: Body) {
  const p = body.profile as Record<string, unknown> | undefined;
  if (!p || typeof p !== 'object' || Array.isArray(p)) throw invalidField('profile', 'The profile must be an object.');
  const name = str(p.name, 'name', 255).trim();
  if (!name) throw invalidField('name', 'The field cannot be left blank.');
  const description = p.description === undefined || p.description === null ? '' : str(p.description, 'description', 1024);
  return { name, description };
}

export async function listGroups(deps: Deps, params: URLSearchParams): Promise<Listing> {
  const terms: Condition<GroupAttr>[] = [];
  try {
    for (const name of ['filter', 'search'] as const) {
      const v = params.get(name);
      if (v !== null) terms.push(parseExpression(v, GROUP_ATTRS));
    }
  } catch (e) {
    if (e instanceof ExpressionError) throw invalidSearch(e.message);
    throw e;
  }
  const q = params.get('q');
  if (q !== null) terms.push({ op: 'sw', attr: 'profile.name', value: str(q, 'q', 256) });
  const where = terms.length === 0 ? undefined : { op: 'and' as const, terms };
  const page = await deps.store.groups.page({ where, after: params.get('after') ?? undefined, limit: listLimit(params, 200, 200) });
  return { items: page.items.map((g) => renderGroup(deps.cfg.baseUrl, g)), next: page.next };
}

export async function createGroup(a: Actor, body: Body) {
  const { deps } = a;
  const now = deps.now();
  const g: Group = { id: newId('00g'), ...profileOf(body), createdAt: now, updatedAt: now, membershipUpdatedAt: now };
  if (!(await deps.store.groups.create(g))) throw alreadyExists('name');
  await deps.store.events.append({ type: 'group.lifecycle.create', at: now, actorId: a.token.id, detail: { groupId: g.id, name: g.name } });
  return renderGroup(deps.cfg.baseUrl, g);
}

export const getGroup = async (deps: Deps, id: string) => renderGroup(deps.cfg.baseUrl, await findGroup(deps, id));

export async function replaceGroup(a: Actor, id: string, body: Body) {
  const { deps } = a;
  const g = await findGroup(deps, id);
  const r = await deps.store.groups.update(g.id, profileOf(body), deps.now());
  if (r === 'conflict') throw alreadyExists('name');
  if (r === 'missing') throw notFound(`${id} (UserGroup)`);
  await deps.store.events.append({ type: 'group.profile.update', at: deps.now(), actorId: a.token.id, detail: { groupId: g.id } });
  return getGroup(deps, g.id);
}

export async function deleteGroup(a: Actor, id: string) {
  const g = await findGroup(a.deps, id);
  await a.deps.store.groups.delete(g.id);
  await a.deps.store.events.append({ type: 'group.lifecycle.delete', at: a.deps.now(), actorId: a.token.id, detail: { groupId: g.id, name: g.name } });
}

export async function listMembers(deps: Deps, id: string, params: URLSearchParams): Promise<Listing> {
  const g = await findGroup(deps, id);
  return listUsers(deps, new URLSearchParams([...params].filter(([k]) => k === 'after' || k === 'limit')), g.id);
}

export async function addMember(a: Actor, groupId: string, userId: string) {
  const g = await findGroup(a.deps, groupId);
  const u = await findUser(a.deps, userId);
  await a.deps.store.groups.addMember(g.id, u.id, a.deps.now());
  await a.deps.store.events.append({ type: 'group.user_membership.add', at: a.deps.now(), userId: u.id, actorId: a.token.id, detail: { groupId: g.id, name: g.name, login: u.login } });
}

export async function removeMember(a: Actor, groupId: string, userId: string) {
  const g = await findGroup(a.deps, groupId);
  const u = await findUser(a.deps, userId);
  await a.deps.store.groups.removeMember(g.id, u.id, a.deps.now());
  await a.deps.store.events.append({ type: 'group.user_membership.remove', at: a.deps.now(), userId: u.id, actorId: a.token.id, detail: { groupId: g.id, name: g.name, login: u.login } });
}

export async function listUserGroups(deps: Deps, userId: string) {
  const u = await findUser(deps, userId);
  return (await deps.store.groups.listForUser(u.id)).map((g) => renderGroup(deps.cfg.baseUrl, g));
}
