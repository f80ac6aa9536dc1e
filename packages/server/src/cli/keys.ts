// keys list|rotate: rotate makes the next key (already published) start signing; the active one retires but stays
// published until every token it signed has expired; a new next key is published. On a database without keys,
// rotate creates the first active and next key and retires nothing.
import { createKeyVault, resolveSecret } from '../keys/key-vault.js';
import { makeSigningKey, openPrivateJwk } from '../keys/key-ring.js';
import { parse, UsageError } from './args.js';
import { openAdmin, printJson } from './context.js';

export async function keysCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'rotate' && sub !== 'list') throw new UsageError(sub ? `unknown keys command "${sub}"` : 'keys needs a command: list, rotate');
  const { values } = parse(rest, { db: { type: 'string' } });
  const { cfg, store } = await openAdmin(values.db, { readOnly: sub === 'list' });
  try {
    if (sub === 'rotate') {
      const vault = createKeyVault(resolveSecret(cfg.secret, cfg.secretFile, (m) => console.error(`warning: ${m}`)));
      const now = Date.now();
      const first = (await store.keys.list()).length === 0;
      await store.keys.ensure(now, () => makeSigningKey(vault, now));
      if (!first) {
        // Prove the secret first: the key about to sign must open, and the new next key must be sealed under the
        // same secret as the rest, or the server cannot start after the following rotation.
        for (const k of await store.keys.list()) if (k.status !== 'retired') await openPrivateJwk(vault, k);
        const longest = Math.max(...(await store.servers.list()).map((s) => Math.max(s.accessTokenTtl, s.idTokenTtl)));
        await store.keys.rotate(now, now + (longest + cfg.clockSkewSeconds) * 1000, await makeSigningKey(vault, now));
      }
      await store.events.append({ type: first ? 'key.create' : 'key.rotate', at: now });
    }
    const keys = await store.keys.list();
    if (keys.length === 0) console.error('gatehouse: no keys yet; gatehouse serve (or gatehouse keys rotate) creates the first ones');
    printJson(keys.map((k) => ({ kid: k.kid, status: k.status, created: new Date(k.createdAt).toISOString(), removeAfter: k.removeAfter ? new Date(k.removeAfter).toISOString() : null })));
  } finally { await store.close(); }
  return 0;
}
