// startExample(): the sample app on a port, used by the demo script, the tests and server.ts.
import type { Server } from 'node:http';
import { createExampleApp, type ExampleConfig } from './app.js';

export async function startExample(cfg: ExampleConfig, port: number, host = '127.0.0.1'): Promise<{ server: Server; close(): Promise<void> }> {
  const { app, close } = createExampleApp(cfg);
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(port, host, () => resolve(s));
    s.once('error', reject);
  });
  return {
    server,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      close();
    },
  };
}

export { createExampleApp, EMAIL_VERIFY_PATH } from './app.js';
