// gatehouse brand show|set: the org's default brand, or with --app one app's override. `show` prints what is
// stored and, for an app, what its pages show (the override over the org's default).
import { resolveBrand, setBrand, NO_BRAND } from '../identity/brand.js';
import { AdminError } from '../identity/admin.js';
import { parse, UsageError } from './args.js';
import { openAdmin, printJson } from './context.js';

export async function brandCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'show' && sub !== 'set') throw new UsageError(sub ? `unknown brand command "${sub}"` : 'brand needs a command: show, set');
  const { values } = parse(rest, sub === 'show' ? { db: { type: 'string' }, app: { type: 'string' } } : {
    db: { type: 'string' }, app: { type: 'string' }, name: { type: 'string' }, 'logo-url': { type: 'string' },
    'primary-color': { type: 'string' }, background: { type: 'string' },
  });
  const clientId: string | null = values.app ?? null;
  if (clientId === '') throw new UsageError('--app needs a client id');
  const { store } = await openAdmin(values.db, { readOnly: sub === 'show' });
  try {
    const now = Date.now();
    const stored = sub === 'set'
      ? await setBrand(store, clientId, { name: values.name, logoUrl: values['logo-url'], primaryColor: values['primary-color'], background: values.background }, now)
      : (await store.brands.get(clientId)) ?? NO_BRAND;
    if (clientId !== null && sub === 'show' && !(await store.apps.findByClientId(clientId))) throw new AdminError(`no app with client id "${clientId}"`);
    printJson({ app: clientId, ...stored, ...(clientId ? { shown: await resolveBrand(store, clientId) } : {}) });
  } finally { await store.close(); }
  return 0;
}
