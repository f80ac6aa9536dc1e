// gatehouse origin list|add|remove: the org's trusted origins, the only ones that get CORS (and so the only
// pages a widget may run on). Removal takes effect at the next request: nothing caches them.
import { isValidOrigin } from '../oauth/redirect-uri.js';
import { AdminError } from '../identity/admin.js';
import { parse, required, UsageError } from './args.js';
import { openAdmin, printJson } from './context.js';

export async function originCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'list' && sub !== 'add' && sub !== 'remove') throw new UsageError(sub ? `unknown origin command "${sub}"` : 'origin needs a command: list, add, remove');
  const { values } = parse(rest, sub === 'list' ? { db: { type: 'string' } } : { db: { type: 'string' }, origin: { type: 'string' } });
  const origin = sub === 'list' ? undefined : required(values, 'origin');
  if (origin !== undefined && !isValidOrigin(origin)) throw new UsageError(`--origin must be an origin (scheme://host[:port]), not "${origin}"`);
  const { store } = await openAdmin(values.db, { readOnly: sub === 'list' });
  try {
    const now = Date.now();
    if (sub === 'add') {
      await store.origins.add(origin!, now);
      await store.events.append({ type: 'origin.add', at: now, detail: { origin } });
    } else if (sub === 'remove') {
      if (!(await store.origins.remove(origin!))) throw new AdminError(`${origin} is not a trusted origin`);
      await store.events.append({ type: 'origin.remove', at: now, detail: { origin } });
    }
    printJson(await store.origins.list());
  } finally {
    await store.close();
  }
  return 0;
}
