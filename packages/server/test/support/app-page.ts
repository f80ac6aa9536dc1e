// A stand-in for a relying party's web page on its own origin: serves HTML pages and static files, and a
// callback route that records what the widget sent the browser to. It is the app side of the story, not
// a replacement for anything Gatehouse does.
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';

export interface AppPage {
  origin: string;
  callbackUrl: string;
  setPage(path: string, html: string, headers?: Record<string, string>): void;
  setFile(path: string, file: string, type: string): void;
  close(): Promise<void>;
}

export async function startAppPage(host = 'localhost'): Promise<AppPage> {
  const pages = new Map<string, { body: Buffer; type: string; headers: Record<string, string> }>();
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const p = pages.get(path) ?? (path === '/interactioncode/callback' ? { body: Buffer.from('<!doctype html><title>callback</title><h1>callback</h1>'), type: 'text/html', headers: {} } : undefined);
    if (!p) { res.writeHead(404); res.end(); return; }
    res.writeHead(200, { 'Content-Type': p.type, ...p.headers });
    res.end(p.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const origin = `http://${host}:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    callbackUrl: `${origin}/interactioncode/callback`,
    setPage: (path, html, headers = {}) => pages.set(path, { body: Buffer.from(html), type: 'text/html; charset=utf-8', headers }),
    setFile: (path, file, type) => pages.set(path, { body: readFileSync(file), type, headers: {} }),
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}
