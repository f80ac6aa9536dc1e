// gatehouse events: the audit log, newest first. A JSON array like every list; --jsonl prints one event per line
// as it is read, for piping into a log shipper.
import { parse, wholeNumber } from './args.js';
import { openAdmin } from './context.js';

export async function eventsCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, { db: { type: 'string' }, limit: { type: 'string' }, type: { type: 'string' }, jsonl: { type: 'boolean' } });
  const limit = wholeNumber(values.limit, 'limit', 10000) ?? 50;
  const { store } = await openAdmin(values.db, { readOnly: true });
  try {
    const events = (await store.events.list({ limit, type: values.type })).map((e) => ({
      at: new Date(e.at).toISOString(), type: e.type, userId: e.userId ?? undefined, clientId: e.clientId ?? undefined, ...(e.detail ? { detail: e.detail } : {}),
    }));
    if (values.jsonl) for (const e of events) console.log(JSON.stringify(e));
    else console.log(JSON.stringify(events, null, 2));
  } finally { await store.close(); }
  return 0;
}
