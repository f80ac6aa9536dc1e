// The one-time codes that Gatehouse mails, handed to the SDK tests in other languages (interop/java, interop/go):
// a loopback HTTP endpoint on an ephemeral port over the test SMTP server. `GET /code?to=ADDRESS` waits for the next
// mail to that address that it has not returned before (TestSmtp.nextMessage, bounded) and answers its six-digit
// code as text/plain; no mail in time is 504, a request without `to` is 400. The tests get its URL in
// GATEHOUSE_INTEROP_MAIL_CODE_URL.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { codeOf, type TestSmtp } from './smtp.js';

export interface MailCodeEndpoint {
  /** `http://127.0.0.1:PORT/code`; add `?to=ADDRESS`. */
  url: string;
  close(): Promise<void>;
}

export async function startMailCodeEndpoint(smtp: TestSmtp, waitMs = 10_000): Promise<MailCodeEndpoint> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const to = url.searchParams.get('to');
    const answer = (status: number, body: string) => {
      if (res.destroyed) return; // the endpoint was closed while this request waited
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
      res.end(body);
    };
    if (req.method !== 'GET' || url.pathname !== '/code' || !to) return answer(400, 'GET /code?to=ADDRESS');
    smtp.nextMessage(to, waitMs).then(
      (mail) => {
        try {
          answer(200, codeOf(mail));
        } catch (e) {
          answer(500, (e as Error).message);
        }
      },
      (e: Error) => answer(504, e.message),
    );
  });
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/code`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
