// Prometheus metrics, served on their own port (GATEHOUSE_METRICS_PORT, loopback by default) and only when
// one is configured: request timings by route family and status class, every audit event by type (sign-ins,
// failures, lockouts, rate limits, tokens issued and revoked), and the process's own figures. Nothing here
// carries a user, a client or a token, so a scrape reveals counts, never who.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type { EventStore } from './store/interfaces.js';

export interface Metrics {
  request(family: string, status: number, seconds: number): void;
  event(type: string): void;
}

/** What the server calls when no metrics port is configured: nothing is kept. */
export const NO_METRICS: Metrics = { request() {}, event() {} };

export function createMetrics(): Metrics & { registry: Registry } {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'gatehouse_' });
  const requests = new Histogram({
    name: 'gatehouse_http_request_duration_seconds', help: 'Time to answer a request, by route family and status class.',
    labelNames: ['family', 'status'], buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5], registers: [registry],
  });
  const events = new Counter({
    name: 'gatehouse_events_total', help: 'Audit events by type: signin.success, signin.failure, user.lockout, token.issue, ...',
    labelNames: ['type'], registers: [registry],
  });
  return {
    registry,
    request: (family, status, seconds) => requests.observe({ family, status: `${Math.floor(status / 100)}xx` }, seconds),
    event: (type) => events.inc({ type }),
  };
}

/** The audit log, counting each event once it is written. */
export function countedEvents(events: EventStore, metrics: Metrics): EventStore {
  return {
    ...events,
    append: async (e) => {
      const id = await events.append(e);
      metrics.event(e.type);
      return id;
    },
  };
}

/** GET /metrics in Prometheus' text format; nothing else. */
export async function serveMetrics(registry: Registry, port: number, host: string): Promise<{ port: number; server: Server }> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'Content-Type': registry.contentType }).end(text),
      () => res.writeHead(500, { 'Content-Type': 'text/plain' }).end('metrics unavailable\n'),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return { port: (server.address() as AddressInfo).port, server };
}
