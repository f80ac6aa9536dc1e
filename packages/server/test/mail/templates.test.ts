// The mail templates: every template in every language has a subject, a text and an HTML part carrying the
// code prominently, the brand, no remote content; the caller's values are escaped in HTML and kept on one line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAIL_LOCALES, MAIL_TEMPLATES, mailLocale, renderMail } from '../../src/mail/mailer.js';

const params = { code: '493027', link: 'https://app.example.com/verify?state=abc&otp=493027', userName: 'Ada', email: 'ada@example.com', appName: 'Payroll', expiresMinutes: 5 };

test('every template renders in text and HTML in en, fr and de, with the code, the link, the brand and no remote content', () => {
  for (const template of MAIL_TEMPLATES) {
    const subjects = new Set<string>();
    for (const locale of MAIL_LOCALES) {
      const mail = renderMail(template, params, { brand: 'Acme ID', locale });
      subjects.add(mail.subject);
      assert.match(mail.subject, /Acme ID/, `${template}/${locale} subject names the brand`);
      assert.match(mail.html, new RegExp(`^<!doctype html><html lang="${locale}">`));
      assert.match(mail.text, /Acme ID\n$/, 'signed with the brand');
      assert.doesNotMatch(mail.html, /<img|<script|src=|url\(/i, 'no images, scripts or remote content');
      assert.doesNotMatch(mail.subject + mail.text, /\{\w+\}/, 'every placeholder filled');
      if (template === 'password-changed' || template === 'signup-attempt') {
        assert.doesNotMatch(mail.text, /493027|https:/, 'a notice carries no code and no link');
        assert.match(mail.text, /ada@example\.com/);
      } else {
        assert.match(mail.text, /^ {4}493027$/m, 'the code on a line of its own');
        assert.match(mail.html, /letter-spacing:6px">493027<\/p>/, 'the code set large in HTML');
        assert.match(mail.text, /^https:\/\/app\.example\.com\/verify\?state=abc&otp=493027$/m);
        assert.match(mail.html, /href="https:\/\/app\.example\.com\/verify\?state=abc&amp;otp=493027"/);
        assert.match(mail.text, /\b5\b/, 'the expiry is stated');
        assert.match(mail.text, /Payroll/, 'the app is named');
      }
    }
    assert.equal(subjects.size, 3, `${template} is translated`);
  }
});

test('a user name with markup is escaped in HTML and flattened to one line in text', () => {
  const userName = '<script>alert("x")</script>\nVisit https://evil.example';
  for (const template of MAIL_TEMPLATES) {
    const mail = renderMail(template, { ...params, userName, appName: 'A & B <Apps>' }, { brand: 'Gate"house', locale: 'en' });
    assert.doesNotMatch(mail.html, /<script|<Apps>/);
    assert.match(mail.html, /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt; Visit/);
    assert.match(mail.html, /Gate&quot;house/);
    assert.match(mail.text, /^Hello <script>alert\("x"\)<\/script> Visit https:\/\/evil\.example,$/m, 'the name stays on the greeting line');
  }
  assert.match(renderMail('email-challenge', params, { brand: 'X', locale: 'en' }).text, /^Hello Ada,$/m);
  assert.match(renderMail('email-challenge', { code: '123456' }, { brand: 'X', locale: 'de' }).text, /^Hallo,$/m);
});

test('the language is picked from a tag or an Accept-Language list, English otherwise', () => {
  assert.equal(mailLocale('fr-CA'), 'fr');
  assert.equal(mailLocale('de_DE'), 'de');
  assert.equal(mailLocale('es-ES,de;q=0.5,fr;q=0.8'), 'fr');
  assert.equal(mailLocale('es'), 'en');
  assert.equal(mailLocale(undefined), 'en');
  assert.equal(mailLocale(null), 'en');
  assert.equal(mailLocale('fr;q=0,de'), 'de');
  assert.match(renderMail('password-recovery', params, { brand: 'X', locale: 'fr-FR' }).text, /réinitialiser votre mot de passe/);
});

test('an admin-initiated reset says so and carries its link, not a code; no link and no expiry leave their lines out', () => {
  const admin = renderMail('password-recovery', { link: 'https://app.example.com/cb?recovery_token=abc', adminReset: true }, { brand: 'X', locale: 'en' });
  assert.match(admin.text, /Your administrator has reset your password/);
  assert.match(admin.text, /recovery_token=abc/);
  assert.doesNotMatch(admin.text, /expires/);
  assert.throws(() => renderMail('password-recovery', { adminReset: true }, { brand: 'X' }), TypeError, 'an admin reset needs its link');
  assert.doesNotMatch(renderMail('email-enroll', { code: '123456', link: '' }, { brand: 'X' }).html, /<a /);
  assert.match(renderMail('email-challenge', { code: '123456', expiresMinutes: '1' }, { brand: 'X' }).text, /expires in 1 minute\./);
});

test('values no mail should carry are refused: a missing code, a link that is not http(s)', () => {
  assert.throws(() => renderMail('email-challenge', {}, { brand: 'X' }), TypeError);
  assert.throws(() => renderMail('email-challenge', { code: '12 34' }, { brand: 'X' }), TypeError);
  assert.throws(() => renderMail('email-challenge', { code: '123456', link: 'javascript:alert(1)' }, { brand: 'X' }), TypeError);
  assert.throws(() => renderMail('email-challenge', { code: '123456', link: '/relative' }, { brand: 'X' }), TypeError);
  assert.throws(() => renderMail('email-challenge', { code: '123456', link: 'https://u:p@example.com/' }, { brand: 'X' }), TypeError);
  assert.throws(() => renderMail('email-challenge', { code: '123456', expiresMinutes: 'soon' }, { brand: 'X' }), TypeError);
});
