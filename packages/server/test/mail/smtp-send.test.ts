// Sending through nodemailer to a real SMTP server on loopback: the mail reaches the right address with the
// configured From; a refusing server and a server that never answers both end in MailSendFailed, the latter
// within the configured bound; the log says why without the code or the link.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { createMailer, MailSendFailed } from '../../src/mail/mailer.js';
import { codeOf, linkOf, startSmtp } from '../support/smtp.js';

function capturedLog() {
  const lines: string[] = [];
  const stream = new Writable({ write(chunk, _enc, cb) { lines.push(String(chunk)); cb(); } });
  return { log: createLogger('debug', stream), lines };
}

const base = { GATEHOUSE_TEST: '1', GATEHOUSE_BASE_URL: 'https://id.example.com' };

test('a mail sent through nodemailer reaches the right address with the From header, code and link readable', async (t) => {
  const smtp = await startSmtp();
  t.after(() => smtp.close());
  const { log } = capturedLog();
  const mailer = createMailer(loadConfig({ ...base, GATEHOUSE_SMTP_URL: smtp.url, GATEHOUSE_BRAND_NAME: 'Acme ID' }), log);
  assert.equal(mailer.enabled, true);
  assert.equal(mailer.mode, 'smtp');
  await mailer.send({ to: 'other@example.com', template: 'password-changed', params: { email: 'other@example.com' } });
  await mailer.send({
    to: 'ada@example.com', template: 'email-challenge', locale: 'fr',
    params: { code: '204816', link: 'https://app.example.com/cb?state=s1&otp=204816', userName: 'Adélaïde', expiresMinutes: 5 },
  });
  const mail = await smtp.nextMessage('ada@example.com');
  assert.deepEqual(mail.to, ['ada@example.com']);
  assert.equal(mail.envelopeFrom, 'no-reply@id.example.com');
  assert.match(mail.from, /Acme ID/);
  assert.match(mail.from, /<no-reply@id\.example\.com>/);
  assert.equal(mail.headers.get('to'), 'ada@example.com');
  assert.equal(mail.headers.get('auto-submitted'), 'auto-generated');
  assert.equal(mail.subject, 'Votre code de connexion Acme ID');
  assert.equal(codeOf(mail), '204816');
  assert.equal(linkOf(mail), 'https://app.example.com/cb?state=s1&otp=204816');
  assert.match(mail.text, /Bonjour Adélaïde,/);
  assert.match(mail.html, /204816/);
  assert.equal(smtp.messages.length, 2);
  assert.equal((await smtp.nextMessage('other@example.com')).subject, 'Your Acme ID password was changed');
});

test('a server that refuses the recipient makes send fail with MailSendFailed, logged without the code or link', async (t) => {
  const smtp = await startSmtp({ reject: true });
  t.after(() => smtp.close());
  const { log, lines } = capturedLog();
  const mailer = createMailer(loadConfig({ ...base, GATEHOUSE_SMTP_URL: smtp.url }), log);
  await assert.rejects(
    mailer.send({ to: 'ada@example.com', template: 'password-recovery', params: { code: '774411', link: 'https://id.example.com/r?otp=774411' } }),
    (e: unknown) => e instanceof MailSendFailed && e.reason === 'rejected',
  );
  const logged = lines.join('');
  assert.match(logged, /mail not sent/);
  assert.match(logged, /"reason":"rejected"/);
  assert.doesNotMatch(logged, /774411/);
});

for (const stall of ['greeting', 'data'] as const) {
  test(`a server that never answers (${stall}) makes send fail with MailSendFailed within the bound`, async (t) => {
    const smtp = await startSmtp({ stall });
    t.after(() => smtp.close());
    const { log, lines } = capturedLog();
    // The transport's own timeouts are 5 s; the bound set here is what ends the wait.
    const mailer = createMailer(loadConfig(base, { smtpUrl: smtp.url, mailTimeoutMs: 200 }), log);
    const started = process.hrtime.bigint();
    await assert.rejects(
      mailer.send({ to: 'ada@example.com', template: 'email-enroll', params: { code: '555123' } }),
      (e: unknown) => e instanceof MailSendFailed && e.reason === 'timeout',
    );
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    assert.ok(ms < 4_000, `failed after ${ms} ms, not within the 200 ms bound (well before the transport's 5 s)`);
    assert.doesNotMatch(lines.join(''), /555123/);
    assert.equal(smtp.messages.length, 0);
  });
}

test('an address list or a header in the recipient is refused before anything is sent', async (t) => {
  const smtp = await startSmtp();
  t.after(() => smtp.close());
  const mailer = createMailer(loadConfig(base, { smtpUrl: smtp.url }), capturedLog().log);
  for (const to of ['a@example.com, b@example.com', 'a@example.com\r\nBcc: b@example.com', 'Ada <a@example.com>', 'nobody']) {
    await assert.rejects(mailer.send({ to, template: 'email-enroll', params: { code: '123456' } }),
      (e: unknown) => e instanceof MailSendFailed && e.reason === 'invalid-recipient', to);
  }
  assert.equal(smtp.messages.length, 0);
});
