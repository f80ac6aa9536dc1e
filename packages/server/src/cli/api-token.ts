// gatehouse api-token create --name N [--read-only] | list | revoke --id ID: tokens for the management API.
// The token is printed once, at creation; the store keeps only its hash.
import { createApiToken, revokeApiToken } from '../admin-api/api-tokens.js';
import { parse, required, UsageError } from './args.js';
import { openAdmin, printJson } from './context.js';

export async function apiTokenCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const common = { db: { type: 'string' } } as const;
  switch (sub) {
    case 'create': {
      const { values } = parse(rest, { ...common, name: { type: 'string' }, 'read-only': { type: 'boolean' } });
      const name = required(values, 'name');
      const { store } = await openAdmin(values.db);
      try {
        const t = await createApiToken(store, { name, readOnly: values['read-only'] === true }, Date.now());
        printJson({ id: t.id, name: t.name, token: t.token, readOnly: t.readOnly });
      } finally { await store.close(); }
      return 0;
    }
    case 'list': {
      const { values } = parse(rest, common);
      const { store } = await openAdmin(values.db);
      try {
        printJson((await store.apiTokens.list()).map((t) => ({
          id: t.id, name: t.name, readOnly: t.readOnly, created: new Date(t.createdAt).toISOString(), revoked: t.revokedAt ? new Date(t.revokedAt).toISOString() : null,
        })));
      } finally { await store.close(); }
      return 0;
    }
    case 'revoke': {
      const { values } = parse(rest, { ...common, id: { type: 'string' } });
      const id = required(values, 'id');
      const { store } = await openAdmin(values.db);
      try {
        if (!(await revokeApiToken(store, id, Date.now()))) { console.error('gatehouse: no such live API token'); return 1; }
        printJson({ id, revoked: true });
      } finally { await store.close(); }
      return 0;
    }
    default:
      throw new UsageError(sub ? `unknown api-token command "${sub}"` : 'api-token needs a command: create, list, revoke');
  }
}
