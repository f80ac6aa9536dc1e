// Password checks per client IP per minute, counted in the store so that every instance and every restart
// sees the same count. The per-user lockout stops guessing at one account; this stops one address from
// trying a few passwords at each of many accounts. The check runs before the hash, so a flood costs a
// row update, not argon2 time.
import { isIP } from 'node:net';
import type { Deps } from '../deps.js';

const WINDOW_MS = 60_000;

/** Thrown when the client has used up its password checks for this window. */
export class TooManyAttempts extends Error {
  override name = 'TooManyAttempts';
  constructor(readonly retryAfterSeconds: number) {
    super('too many password checks from this address');
  }
}

/**
 * Spends one of the client address's checks of this kind (`password`, `okta_email`, `email-send`…) for the
 * current minute; each kind has its own budget of `signInRateLimitPerMinute`.
 */
export async function spendAttempt(deps: Deps, kind: string, ip: string | undefined, clientId: string): Promise<void> {
  const limit = deps.cfg.signInRateLimitPerMinute;
  if (limit === 0 || !ip) return;
  const now = deps.now();
  const windowStart = now - (now % WINDOW_MS);
  const hits = await deps.store.rateLimits.hit(`${kind}:${addressBlock(ip)}`, windowStart);
  if (hits <= limit) return;
  if (hits === limit + 1) {
    await deps.store.events.append({ type: 'signin.rate_limited', at: now, userId: null, clientId, detail: { ip, limit, ...(kind === 'password' ? {} : { kind }) } });
  }
  throw new TooManyAttempts(Math.ceil((windowStart + WINDOW_MS - now) / 1000));
}

/**
 * What one client controls: an IPv4 address, or an IPv6 /64 (the block one subscriber or host is given, so
 * rotating addresses inside it buys nothing).
 * @example addressBlock('2001:db8::1') // '2001:db8:0:0::/64'
 */
export function addressBlock(ip: string): string {
  if (isIP(ip) !== 6) return ip;
  const [head = '', tail = ''] = ip.toLowerCase().split('%')[0]!.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  return groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':') + '::/64';
}
