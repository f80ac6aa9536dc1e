// Encrypts private signing keys at rest: a compact JWE (dir + A256GCM, via jose) under a key derived with
// HKDF from GATEHOUSE_SECRET. Without a configured secret, a development secret is generated into a file
// with mode 0600 and a warning is printed once.
import { hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { CompactEncrypt, compactDecrypt } from 'jose';

export interface KeyVault {
  seal(plaintext: string): Promise<string>;
  open(jwe: string): Promise<string>;
  /** A 32-byte key for a named purpose (e.g. deriving stateHandles), independent of the sealing key. */
  subkey(purpose: string): Buffer;
}

export function resolveSecret(secret: string | undefined, secretFile: string, warn: (msg: string) => void): string {
  if (secret) return secret;
  if (existsSync(secretFile)) return readFileSync(secretFile, 'utf8').trim();
  mkdirSync(dirname(secretFile), { recursive: true });
  const generated = randomBytes(32).toString('base64url');
  writeFileSync(secretFile, generated + '\n', { mode: 0o600, flag: 'wx' });
  chmodSync(secretFile, 0o600);
  warn(`GATEHOUSE_SECRET is not set: generated a development secret in ${secretFile} (mode 0600). Set GATEHOUSE_SECRET in production.`);
  return generated;
}

export function createKeyVault(secret: string): KeyVault {
  const derived = new Map<string, Buffer>();
  const derive = (info: string) => {
    let k = derived.get(info);
    if (!k) derived.set(info, (k = Buffer.from(hkdfSync('sha256', secret, 'gatehouse', info, 32))));
    return k;
  };
  const sealKey = derive('signing-key-encryption');
  return {
    async seal(plaintext) {
      return new CompactEncrypt(new TextEncoder().encode(plaintext)).setProtectedHeader({ alg: 'dir', enc: 'A256GCM' }).encrypt(sealKey);
    },
    async open(jwe) {
      const { plaintext } = await compactDecrypt(jwe, sealKey, { keyManagementAlgorithms: ['dir'], contentEncryptionAlgorithms: ['A256GCM'] });
      return new TextDecoder().decode(plaintext);
    },
    subkey: derive,
  };
}
