// The development inbox: only when asked for, said loudly at start, shown at /dev/inbox (HTML, escaped, the
// pages' CSP) and /dev/inbox.json. With neither SMTP nor the inbox, mail is off: said once, `enabled` false.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { createMailer, MailSendFailed } from '../../src/mail/mailer.js';
import { startServer } from '../support/start-server.js';

function capturedLog() {
  const lines: string[] = [];
  const stream = new Writable({ write(chunk, _enc, cb) { lines.push(String(chunk)); cb(); } });
  return { log: createLogger('info', stream), lines };
}

test('the dev inbox page lists a sent message, newest first, escaped, under the pages\' CSP', async (t) => {
  const server = await startServer({ config: { devInbox: true } });
  t.after(() => server.close());
  const { mail } = server.gatehouse.deps;
  assert.equal(mail.enabled, true);
  assert.equal(mail.mode, 'dev-inbox');
  await mail.send({ to: 'first@example.com', template: 'password-changed', params: {} });
  await mail.send({
    to: 'ada@example.com', template: 'email-challenge',
    params: { code: '314159', link: `${server.baseUrl}/magic?otp=314159&x=1`, userName: '<script>alert(1)</script>' },
  });
  const res = await fetch(`${server.baseUrl}/dev/inbox`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type')!, /^text\/html/);
  assert.match(res.headers.get('content-security-policy')!, /default-src 'none'/);
  assert.equal(res.headers.get('cache-control'), 'no-store');
  const html = await res.text();
  assert.doesNotMatch(html, /<script/);
  assert.match(html, /Hello &lt;script&gt;alert\(1\)&lt;\/script&gt;,/);
  assert.match(html, /314159/);
  assert.ok(html.includes(`<a href="${server.baseUrl}/magic?otp=314159&amp;x=1" rel="noreferrer">`), 'the link is clickable, escaped');
  assert.ok(html.indexOf('ada@example.com') < html.indexOf('first@example.com'), 'newest first');

  const json = await (await fetch(`${server.baseUrl}/dev/inbox.json`)).json() as { messages: Array<{ to: string; subject: string; text: string; from: string }> };
  assert.deepEqual(json.messages.map((m) => m.to), ['ada@example.com', 'first@example.com']);
  assert.match(json.messages[0]!.text, /314159/);
  assert.match(json.messages[0]!.from, /^Gatehouse <no-reply@\[127\.0\.0\.1\]>$/);
});

test('without GATEHOUSE_DEV_INBOX there is no /dev/inbox, and with no SMTP either mail is off', async (t) => {
  const server = await startServer();
  t.after(() => server.close());
  assert.equal((await fetch(`${server.baseUrl}/dev/inbox`)).status, 404);
  assert.equal((await fetch(`${server.baseUrl}/dev/inbox.json`)).status, 404);
  const { mail } = server.gatehouse.deps;
  assert.equal(mail.enabled, false);
  assert.equal(mail.mode, 'off');
  assert.equal(mail.inbox, undefined);
  await assert.rejects(mail.send({ to: 'ada@example.com', template: 'email-enroll', params: { code: '123456' } }),
    (e: unknown) => e instanceof MailSendFailed && e.reason === 'disabled');
});

test('at start the server says once, loudly, that the dev inbox is on, or that mail is off', () => {
  const env = { GATEHOUSE_TEST: '1', GATEHOUSE_BASE_URL: 'https://id.example.com' };
  const inbox = capturedLog();
  createMailer(loadConfig({ ...env, GATEHOUSE_DEV_INBOX: '1', GATEHOUSE_SMTP_URL: 'smtp://127.0.0.1:1' }), inbox.log);
  assert.equal(inbox.lines.length, 1);
  assert.match(inbox.lines[0]!, /"level":40/);
  assert.match(inbox.lines[0]!, /DEVELOPMENT INBOX ON.*https:\/\/id\.example\.com\/dev\/inbox.*GATEHOUSE_SMTP_URL is ignored/);
  const off = capturedLog();
  const mailer = createMailer(loadConfig(env), off.log);
  assert.equal(mailer.enabled, false);
  assert.equal(off.lines.length, 1);
  assert.match(off.lines[0]!, /mail is off/);
});
