// gatehouse event-hook create|list|verify|activate|deactivate|delete: Okta-style event hooks. create sends the one-time
// verification request at once (the receiver must be up and answer it); a hook that failed it gets no events until
// `verify` succeeds. list shows each hook's delivery status: last delivery, last attempt and error, failures since the
// last delivery, events delivered and waiting. The secret is sealed under the server's secret (GATEHOUSE_SECRET), so
// run this with the same one the server has.
import { createEventHook, deleteEventHook, describeEventHook, setEventHookStatus, verifyEventHook } from '../admin-api/event-hooks.js';
import { createKeyVault, resolveSecret } from '../keys/key-vault.js';
import { parse, required, UsageError } from './args.js';
import { openAdmin, printJson } from './context.js';

export async function eventHookCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const common = { db: { type: 'string' } } as const;
  switch (sub) {
    case 'create': {
      const { values } = parse(rest, {
        ...common, url: { type: 'string' }, event: { type: 'string', multiple: true }, name: { type: 'string' },
        secret: { type: 'string' }, 'auth-header': { type: 'string' },
      });
      const url = required(values, 'url');
      const events = (values.event as string[] | undefined) ?? [];
      if (events.length === 0) throw new UsageError('--event is required (e.g. --event user.session.start), once per event type');
      const { cfg, store } = await openAdmin(values.db);
      try {
        const vault = createKeyVault(resolveSecret(cfg.secret, cfg.secretFile, (m) => console.error(`warning: ${m}`)));
        const r = await createEventHook({ store, vault, timeoutMs: cfg.eventHooks.timeoutMs, now: Date.now() },
          { url, events, name: values.name, secret: values.secret, authHeader: values['auth-header'] });
        printJson(describeEventHook(r.hook));
        if (!r.verified) {
          console.error(`gatehouse: the hook was created but not verified (${r.reason}); it gets no events until "gatehouse event-hook verify --id ${r.hook.id}" succeeds`);
          return 1;
        }
      } finally { await store.close(); }
      return 0;
    }
    case 'list': {
      const { values } = parse(rest, common);
      const { store } = await openAdmin(values.db, { readOnly: true });
      try {
        printJson((await store.eventHooks.list()).map(describeEventHook));
      } finally { await store.close(); }
      return 0;
    }
    case 'verify': {
      const { values } = parse(rest, { ...common, id: { type: 'string' } });
      const id = required(values, 'id');
      const { cfg, store } = await openAdmin(values.db);
      try {
        const vault = createKeyVault(resolveSecret(cfg.secret, cfg.secretFile, (m) => console.error(`warning: ${m}`)));
        const r = await verifyEventHook({ store, vault, timeoutMs: cfg.eventHooks.timeoutMs, now: Date.now() }, id);
        printJson(describeEventHook(r.hook));
        if (!r.verified) { console.error(`gatehouse: verification failed: ${r.reason}`); return 1; }
      } finally { await store.close(); }
      return 0;
    }
    case 'activate':
    case 'deactivate': {
      const { values } = parse(rest, { ...common, id: { type: 'string' } });
      const id = required(values, 'id');
      const { store } = await openAdmin(values.db);
      try {
        printJson(describeEventHook(await setEventHookStatus(store, id, sub === 'activate' ? 'ACTIVE' : 'INACTIVE', Date.now())));
      } finally { await store.close(); }
      return 0;
    }
    case 'delete': {
      const { values } = parse(rest, { ...common, id: { type: 'string' } });
      const id = required(values, 'id');
      const { store } = await openAdmin(values.db);
      try {
        const r = await deleteEventHook(store, id, Date.now());
        if (r === 'missing') { console.error('gatehouse: no such event hook'); return 1; }
        if (r === 'active') { console.error('gatehouse: deactivate the hook first (gatehouse event-hook deactivate --id ID)'); return 1; }
        printJson({ id, deleted: true });
      } finally { await store.close(); }
      return 0;
    }
    default:
      throw new UsageError(sub ? `unknown event-hook command "${sub}"` : 'event-hook needs a command: create, list, verify, activate, deactivate, delete');
  }
}
