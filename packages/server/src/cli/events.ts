import { parse, UsageError } from './args.js';
import { openAdmin } from './context.js';

export async function eventsCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, { db: { type: 'string' }, limit: { type: 'string' }, type: { type: 'string' } });
  const limit = values.limit ? Number(values.limit) : 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 10000) throw new UsageError('--limit must be 1-10000');
  const { store } = await openAdmin(values.db);
  try {
    for (const e of await store.events.list({ limit, type: values.type })) {
      console.log(JSON.stringify({ at: new Date(e.at).toISOString(), type: e.type, userId: e.userId ?? undefined, clientId: e.clientId ?? undefined, ...(e.detail ? { detail: e.detail } : {}) }));
    }
  } finally { await store.close(); }
  return 0;
}
