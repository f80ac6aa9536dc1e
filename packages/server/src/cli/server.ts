// gatehouse server create|list: authorization servers are data. A new server gets its own issuer
// ({base}/oauth2/{id}), audience and token lifetimes, shares the signing keys, and is served by running
// instances within seconds (app.ts reloads the list).
import { AdminError } from '../identity/admin.js';
import type { AuthServer } from '../store/interfaces.js';
import { parse, required, UsageError, wholeNumber } from './args.js';
import { openAdmin, printJson } from './context.js';

// Path segments the router gives another meaning, or that would read as one.
const RESERVED = new Set(['org', 'v1']);
const SCOPE = /^[\x21\x23-\x5b\x5d-\x7e]{1,128}$/; // RFC 6749 §3.3 scope-token

const show = (s: AuthServer) => ({
  id: s.id, issuer_path: s.issuerPath || '/', audiences: s.audiences, scopes: s.scopes,
  access_token_seconds: s.accessTokenTtl, id_token_seconds: s.idTokenTtl, refresh_token_seconds: s.refreshTokenTtl,
});

export async function serverCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'create' && sub !== 'list') throw new UsageError(sub ? `unknown server command "${sub}"` : 'server needs a command: create, list');
  const { values } = parse(rest, sub === 'list' ? { db: { type: 'string' } } : {
    db: { type: 'string' }, id: { type: 'string' }, audience: { type: 'string', multiple: true }, scope: { type: 'string', multiple: true },
    'access-token-minutes': { type: 'string' }, 'id-token-minutes': { type: 'string' }, 'refresh-token-days': { type: 'string' },
  });
  let server: AuthServer | undefined;
  if (sub === 'create') {
    const id = required(values, 'id');
    if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(id) || RESERVED.has(id)) {
      throw new UsageError(`--id must be 1 to 63 lower-case letters, digits and hyphens, and not ${[...RESERVED].join(', ')}`);
    }
    const audiences: string[] = values.audience ?? [`api://${id}`];
    const scopes: string[] | undefined = values.scope;
    for (const s of scopes ?? []) if (!SCOPE.test(s)) throw new UsageError(`--scope "${s}" is not a valid scope name`);
    for (const a of audiences) if (!a || a.length > 512) throw new UsageError('--audience must be 1 to 512 characters');
    server = {
      id, issuerPath: `/oauth2/${id}`, audiences, scopes: [],
      accessTokenTtl: (wholeNumber(values['access-token-minutes'], 'access-token-minutes', 24 * 60) ?? 60) * 60,
      idTokenTtl: (wholeNumber(values['id-token-minutes'], 'id-token-minutes', 24 * 60) ?? 60) * 60,
      refreshTokenTtl: (wholeNumber(values['refresh-token-days'], 'refresh-token-days', 5 * 365) ?? 90) * 86400,
    };
    if (scopes) server.scopes = [...new Set(['openid', ...scopes])];
  }
  const { store } = await openAdmin(values.db, { readOnly: sub === 'list' });
  try {
    if (server) {
      // Without --scope a new server offers what the default server offers.
      if (server.scopes.length === 0) server.scopes = (await store.servers.findById('default'))?.scopes ?? ['openid'];
      if (!(await store.servers.create(server))) throw new AdminError(`an authorization server "${server.id}" already exists`);
      await store.events.append({ type: 'server.create', at: Date.now(), detail: { id: server.id } });
      printJson(show(server));
    } else {
      printJson((await store.servers.list()).map(show));
    }
  } finally {
    await store.close();
  }
  return 0;
}
