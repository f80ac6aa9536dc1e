// The signing keys in memory: the active private key, every published public key by kid, and the JWKS
// as pre-serialised bytes with an ETag. Reloads when the store's key generation changes (the CLI rotates
// keys in another process). Verification looks a `kid` up here and nowhere else.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { exportJWK } from 'jose';
import type { SigningKey, Store } from '../store/interfaces.js';
import type { KeyVault } from './key-vault.js';
import { newId } from '../random.js';
import { ConfigError } from '../errors.js';

export interface KeyRing {
  activeKid(): string;
  activePrivateKey(): KeyObject;
  publicKey(kid: string): KeyObject | undefined;
  jwks(): { body: Buffer; etag: string };
  /** Re-reads keys from the store if another process changed them. */
  refresh(): Promise<void>;
  close(): void;
}

export async function makeSigningKey(vault: KeyVault, now: number): Promise<SigningKey> {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = newId('k') + '-' + new Date(now).toISOString().slice(0, 10);
  const pub = await exportJWK(publicKey);
  const priv = await exportJWK(privateKey);
  return {
    kid,
    status: 'next',
    publicJwk: { kty: 'RSA', alg: 'RS256', kid, use: 'sig', e: pub.e, n: pub.n },
    privateJwe: await vault.seal(JSON.stringify({ ...priv, kid, alg: 'RS256' })),
    createdAt: now,
    removeAfter: null,
  };
}

/**
 * Decrypts a stored private key. A failure means GATEHOUSE_SECRET is not the secret the key was sealed with:
 * a ConfigError naming the setting, rather than a raw JWE error (startup) or, worse, a rotation that seals
 * the next key under the wrong secret and breaks every later start (CLI).
 */
export async function openPrivateJwk(vault: KeyVault, key: SigningKey): Promise<Record<string, unknown>> {
  try {
    return JSON.parse(await vault.open(key.privateJwe));
  } catch {
    throw new ConfigError(`GATEHOUSE_SECRET cannot decrypt signing key ${key.kid}: it is not the secret this database was set up with`);
  }
}

export async function openKeyRing(store: Store, vault: KeyVault, now: () => number, reloadEveryMs = 5000): Promise<KeyRing> {
  await store.keys.ensure(now(), () => makeSigningKey(vault, now()));
  let state = await load();
  let generation = await store.keys.generation();

  async function load() {
    const keys = (await store.keys.list()).filter((k) => k.status !== 'retired' || (k.removeAfter ?? 0) > now());
    const active = keys.find((k) => k.status === 'active');
    if (!active) throw new Error('no active signing key');
    const privateJwk = await openPrivateJwk(vault, active);
    const privateKey = createPrivateKey({ key: privateJwk, format: 'jwk' });
    const publics = new Map<string, KeyObject>();
    for (const k of keys) publics.set(k.kid, createPublicKey({ key: k.publicJwk as any, format: 'jwk' }));
    // Active first, then next, then retired: clients that take keys[0] get the signing key.
    const order = { active: 0, next: 1, retired: 2 } as const;
    const published = [...keys].sort((a, b) => order[a.status] - order[b.status]).map((k) => k.publicJwk);
    const body = Buffer.from(JSON.stringify({ keys: published }));
    const etag = '"' + createHash('sha256').update(body).digest('base64url').slice(0, 27) + '"';
    // The earliest moment a retired key must leave the JWKS; the ring reloads then even if nothing else changed.
    const nextExpiry = Math.min(...keys.filter((k) => k.status === 'retired').map((k) => k.removeAfter ?? Infinity));
    return { activeKid: active.kid, privateKey, publics, body, etag, nextExpiry };
  }

  async function refresh() {
    const g = await store.keys.generation();
    if (g !== generation || now() >= state.nextExpiry) {
      state = await load();
      generation = g;
    }
  }

  const timer = setInterval(() => { refresh().catch(() => {}); }, reloadEveryMs);
  timer.unref();

  return {
    activeKid: () => state.activeKid,
    activePrivateKey: () => state.privateKey,
    publicKey: (kid) => state.publics.get(kid),
    jwks: () => ({ body: state.body, etag: state.etag }),
    refresh,
    close: () => clearInterval(timer),
  };
}
