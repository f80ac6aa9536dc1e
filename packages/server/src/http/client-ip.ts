// The client's address, for the sign-in rate limit and the audit log. `X-Forwarded-For` is believed only
// when the socket's peer is a configured proxy, and then only hop by hop from the right: each hop a
// trusted proxy appended is skipped, and the first address no trusted proxy vouches for is the client.
// Anything to its left was written by the client and proves nothing.
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

export function clientIp(req: IncomingMessage, trustedProxies: readonly string[]): string {
  const peer = normalise(req.socket.remoteAddress ?? '');
  if (!trustedProxies.includes(peer)) return peer;
  const header = req.headers['x-forwarded-for'];
  const hops = (Array.isArray(header) ? header.join(',') : header ?? '').split(',').map((h) => normalise(h.trim())).filter(Boolean);
  let client = peer;
  for (let i = hops.length - 1; i >= 0; i--) {
    if (!isIP(hops[i]!)) break; // a garbled hop ends what can be believed
    client = hops[i]!;
    if (!trustedProxies.includes(client)) break;
  }
  return client;
}

/** IPv4 peers of a dual-stack socket arrive as `::ffff:a.b.c.d`; they are the same client as `a.b.c.d`. */
function normalise(ip: string): string {
  return ip.startsWith('::ffff:') && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip;
}
