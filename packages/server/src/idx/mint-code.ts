// The one place a one-time code is minted when a transaction succeeds: an interaction_code for the embedded
// flow (/interact), an authorization code for the hosted page and single sign-on (/authorize). Random, stored
// only as its hash, short-lived, bound to the client, redirect URI, PKCE challenge and the session it opens.
import type { Deps } from '../deps.js';
import { randomToken, sha256 } from '../random.js';
import type { OneTimeCode } from '../store/interfaces.js';
import type { Transaction } from './transaction.js';

export function mintCode(deps: Pick<Deps, 'cfg' | 'now'>, tx: Transaction, who: { userId: string; amr: string[]; authTime: number; sessionId: string }): { code: string; record: OneTimeCode } {
  const code = randomToken(32);
  const record: OneTimeCode = {
    codeHash: sha256(code), kind: tx.kind === 'interact' ? 'interaction_code' : 'authorization_code', clientId: tx.clientId,
    authServerId: tx.authServerId, redirectUri: tx.redirectUri, scopes: tx.scopes, nonce: tx.nonce, codeChallenge: tx.codeChallenge,
    userId: who.userId, amr: who.amr, authTime: who.authTime, sessionId: who.sessionId, transactionId: tx.id,
    expiresAt: deps.now() + deps.cfg.codeTtlSeconds * 1000, consumedAt: null, grantId: null,
  };
  return { code, record };
}
