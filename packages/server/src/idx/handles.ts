// Interaction handles are random (256 bits). The stateHandle is derived from the interaction handle with
// HMAC, so the server can render it from either handle while storing only hashes of both.
import { createHmac } from 'node:crypto';
import type { KeyVault } from '../keys/key-vault.js';

export function stateHandleFor(vault: KeyVault, interactionHandle: string): string {
  return '02' + createHmac('sha256', vault.subkey('state-handle')).update(interactionHandle).digest('base64url');
}

/** Handles longer than this are refused before hashing or lookup. */
export const MAX_HANDLE_LENGTH = 200;
