// Mail settings are read and checked once at start: a malformed GATEHOUSE_SMTP_URL is a ConfigError that names the
// setting (and never echoes the password); GATEHOUSE_MAIL_FROM is one address.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config.js';
import { ConfigError } from '../../src/errors.js';

const base = { GATEHOUSE_TEST: '1', GATEHOUSE_BASE_URL: 'https://id.example.com' };

test('a malformed GATEHOUSE_SMTP_URL is a ConfigError naming the setting, without the password', () => {
  for (const url of ['mail.example.com', 'http://mail.example.com', 'smtp://', 'smtp://host:99999', 'smtps://user:s3cret-pw@host:465/path',
    'smtp://host?x=1', 'smtps://:s3cret-pw@host', 'smtp ://host']) {
    assert.throws(() => loadConfig({ ...base, GATEHOUSE_SMTP_URL: url }), (e: unknown) => {
      assert.ok(e instanceof ConfigError, `${url}: ${String(e)}`);
      assert.match(e.message, /GATEHOUSE_SMTP_URL/);
      assert.doesNotMatch(e.message, /s3cret/);
      return true;
    });
  }
});

test('well-formed SMTP URLs are accepted; unset means no SMTP, and the dev inbox is off unless asked for', () => {
  for (const url of ['smtp://127.0.0.1:2525', 'smtps://user:p%40ss@mail.example.com:465', 'smtp://mail.example.com', 'smtp://[::1]:25']) {
    assert.equal(loadConfig({ ...base, GATEHOUSE_SMTP_URL: url }).smtpUrl, url);
  }
  const cfg = loadConfig(base);
  assert.equal(cfg.smtpUrl, undefined);
  assert.equal(cfg.devInbox, false);
  assert.equal(loadConfig({ ...base, GATEHOUSE_SMTP_URL: '' }).smtpUrl, undefined);
  assert.equal(loadConfig({ ...base, GATEHOUSE_DEV_INBOX: '1' }).devInbox, true);
});

test('the sender defaults to the brand at no-reply@ the base URL host, and GATEHOUSE_MAIL_FROM is one address', () => {
  assert.deepEqual(loadConfig(base).mailFrom, { name: 'Gatehouse', address: 'no-reply@id.example.com' });
  assert.deepEqual(loadConfig({ ...base, GATEHOUSE_BRAND_NAME: 'Acme ID' }).mailFrom, { name: 'Acme ID', address: 'no-reply@id.example.com' });
  assert.deepEqual(loadConfig({ GATEHOUSE_TEST: '1', GATEHOUSE_BASE_URL: 'http://127.0.0.1:8080' }).mailFrom.address, 'no-reply@[127.0.0.1]');
  assert.deepEqual(loadConfig({ ...base, GATEHOUSE_MAIL_FROM: 'Acme, Inc. <id@acme.test>' }).mailFrom, { name: 'Acme, Inc.', address: 'id@acme.test' });
  assert.deepEqual(loadConfig({ ...base, GATEHOUSE_MAIL_FROM: '"Acme" <id@acme.test>' }).mailFrom, { name: 'Acme', address: 'id@acme.test' });
  assert.deepEqual(loadConfig({ ...base, GATEHOUSE_MAIL_FROM: 'id@acme.test' }).mailFrom, { name: '', address: 'id@acme.test' });
  for (const from of ['a@x.test, b@y.test', 'Acme <a@x.test>, b@y.test', 'nobody', 'Acme\r\nBcc: x@y.test <a@x.test>']) {
    assert.throws(() => loadConfig({ ...base, GATEHOUSE_MAIL_FROM: from }), (e: unknown) => e instanceof ConfigError && /GATEHOUSE_MAIL_FROM/.test(e.message), from);
  }
  assert.throws(() => loadConfig({ ...base, GATEHOUSE_BRAND_NAME: 'Acme\nBcc: x' }), /GATEHOUSE_BRAND_NAME/);
});
