// Password recovery ("Forgot password?", spec §8.2) with real mail: a real SMTP server on loopback receives every
// message and the tests read the code from it. okta-auth-js v7 (recoverPassword, recursive) and v8 (step mode)
// run it to tokens; raw IDX calls prove the wire shapes and every bad input: wrong, reused, expired and other
// users' codes, a weak new password, an unknown identifier that looks exactly like a known one and gets no mail.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { OktaAuth as OktaAuth7 } from 'okta-auth-js-7';
import { OktaAuth as OktaAuth8 } from 'okta-auth-js-8';
import { startServer, type TestServer } from '../support/start-server.js';
import { codeOf as interactionCodeOf, idx, interact, introspect, signInForCode, token } from '../support/idx-client.js';
import { codeOf, linkOf, startSmtp, type TestSmtp } from '../support/smtp.js';
import { runCli } from '../support/cli.js';

let gh: TestServer;
let smtp: TestSmtp;
const redirectUri = 'http://localhost:3000/interactioncode/callback';
let web: { clientId: string; clientSecret?: string };

before(async () => {
  smtp = await startSmtp();
  gh = await startServer({ config: { smtpUrl: smtp.url } });
  web = await gh.createApp({ name: 'recovery', redirectUris: [redirectUri] });
});
after(async () => {
  await gh.close();
  await smtp.close();
});

const formNamed = (json: any, name: string) => json.remediation?.value.find((f: any) => f.name === name);
const names = (json: any) => (json.remediation?.value ?? []).map((f: any) => f.name);

/** interact → introspect → recover → identify-recovery → select email: the response asking for the code. */
async function startRecovery(identifier: string) {
  const it = await interact(gh, { clientId: web.clientId, redirectUri });
  const first = await introspect(gh, { interactionHandle: it.interactionHandle });
  const recover = first.json.currentAuthenticator.value.recover;
  assert.equal(recover.href, `${gh.baseUrl}/idp/idx/recover`);
  const asked = await idx(recover.href, { stateHandle: first.json.stateHandle });
  assert.deepEqual(names(asked.json), ['identify-recovery', 'select-identify']);
  assert.equal(asked.json.intent, 'CREDENTIAL_RECOVERY');
  const identified = await idx(formNamed(asked.json, 'identify-recovery').href, { identifier, stateHandle: first.json.stateHandle });
  assert.deepEqual(names(identified.json), ['select-authenticator-authenticate']);
  const option = formNamed(identified.json, 'select-authenticator-authenticate').value[0].options[0];
  const id = option.value.form.value.find((f: any) => f.name === 'id').value;
  const challenged = await idx(`${gh.baseUrl}/idp/idx/challenge`, { authenticator: { id }, stateHandle: first.json.stateHandle });
  return { it, stateHandle: first.json.stateHandle as string, identified, challenged };
}

test('the identify page offers recovery on the password authenticator only when mail can be sent', async () => {
  const it = await interact(gh, { clientId: web.clientId, redirectUri });
  const page = await introspect(gh, { interactionHandle: it.interactionHandle });
  assert.equal(page.json.currentAuthenticator.value.key, 'okta_password');
  assert.equal(page.json.currentAuthenticator.value.recover.name, 'recover');
  const noMail = await startServer();
  try {
    const app = await noMail.createApp({ name: 'no-mail', redirectUris: [redirectUri] });
    const other = await interact(noMail, { clientId: app.clientId, redirectUri });
    const plain = await introspect(noMail, { interactionHandle: other.interactionHandle });
    assert.equal(plain.json.currentAuthenticator, undefined, 'no recover link without a mail server');
    const refused = await idx(`${noMail.baseUrl}/idp/idx/recover`, { stateHandle: plain.json.stateHandle });
    assert.equal(refused.status, 400);
  } finally {
    await noMail.close();
  }
});

test('recovery over the wire: the mailed code, then a new password under the policy, then an interaction code; the old password is dead', async () => {
  await gh.createUser({ email: 'wire@example.com', password: 'the-old-password-1' });
  const r = await startRecovery('wire@example.com');
  assert.equal(r.challenged.status, 200);
  assert.deepEqual(names(r.challenged.json), ['challenge-authenticator']);
  const enrollment = r.challenged.json.currentAuthenticatorEnrollment.value;
  assert.equal(enrollment.key, 'okta_email');
  assert.equal(enrollment.profile.email, 'w***e@example.com');
  assert.equal(enrollment.resend.href, `${gh.baseUrl}/idp/idx/challenge/resend`);
  assert.equal(enrollment.poll.refresh, 4000);
  assert.equal(r.challenged.json.recoveryAuthenticator.value.type, 'password');
  const mail = await smtp.nextMessage('wire@example.com');
  const code = codeOf(mail);
  assert.match(code, /^\d{6}$/);

  const answer = formNamed(r.challenged.json, 'challenge-authenticator').href;
  const reset = await idx(answer, { credentials: { passcode: code }, stateHandle: r.stateHandle });
  assert.deepEqual(names(reset.json), ['reset-authenticator']);
  assert.equal(reset.json.currentAuthenticator.value.settings.complexity.minLength, 8);

  const weak = await idx(answer, { credentials: { passcode: 'short' }, stateHandle: r.stateHandle });
  assert.equal(weak.status, 400);
  const field = formNamed(weak.json, 'reset-authenticator').value[0].form.value.find((f: any) => f.name === 'passcode');
  assert.equal(field.messages.value[0].i18n.key, 'password.passwordRequirementsNotMet');
  assert.match(field.messages.value[0].message, /at least 8 characters/);

  const done = await idx(answer, { credentials: { passcode: 'a-brand-new-password-7', revokeSessions: false }, stateHandle: r.stateHandle });
  const interactionCode = interactionCodeOf(done.json);
  assert.ok(interactionCode, JSON.stringify(done.json));
  const tokens = await token(gh, { grant_type: 'interaction_code', interaction_code: interactionCode!, code_verifier: r.it.verifier }, web);
  assert.equal(tokens.status, 200);

  await assert.rejects(signInForCode(gh, { clientId: web.clientId, redirectUri, username: 'wire@example.com', password: 'the-old-password-1' }), /sign-in failed: 401/);
  assert.ok((await signInForCode(gh, { clientId: web.clientId, redirectUri, username: 'wire@example.com', password: 'a-brand-new-password-7' })).code);
});

test('select-identify goes back from recovery to the sign-in form, and the sign-in works there', async () => {
  await gh.createUser({ email: 'back@example.com', password: 'the-old-password-1' });
  const it = await interact(gh, { clientId: web.clientId, redirectUri });
  const first = await introspect(gh, { interactionHandle: it.interactionHandle });
  const asked = await idx(first.json.currentAuthenticator.value.recover.href, { stateHandle: first.json.stateHandle });
  const back = await idx(formNamed(asked.json, 'select-identify').href, { stateHandle: first.json.stateHandle });
  assert.equal(names(back.json)[0], 'identify');
  assert.equal(back.json.intent, 'LOGIN');
  const done = await idx(formNamed(back.json, 'identify').href, { identifier: 'back@example.com', credentials: { passcode: 'the-old-password-1' }, stateHandle: first.json.stateHandle });
  assert.ok(interactionCodeOf(done.json));
});

test('a wrong code is a field message on credentials.passcode with the same stateHandle; a used code cannot be used again', async () => {
  await gh.createUser({ email: 'codes@example.com', password: 'the-old-password-1' });
  const r = await startRecovery('codes@example.com');
  const code = codeOf(await smtp.nextMessage('codes@example.com'));
  const answer = formNamed(r.challenged.json, 'challenge-authenticator').href;
  const wrongCode = code === '000000' ? '111111' : '000000';
  const wrong = await idx(answer, { credentials: { passcode: wrongCode }, stateHandle: r.stateHandle });
  assert.equal(wrong.status, 401);
  assert.equal(wrong.json.stateHandle, r.stateHandle);
  const passcode = formNamed(wrong.json, 'challenge-authenticator').value[0].form.value[0];
  assert.equal(passcode.messages.value[0].i18n.key, 'api.authn.error.PASSCODE_INVALID');
  const right = await idx(answer, { credentials: { passcode: code }, stateHandle: r.stateHandle });
  assert.deepEqual(names(right.json), ['reset-authenticator']);
  const again = await idx(answer, { credentials: { passcode: code }, stateHandle: r.stateHandle });
  assert.equal(again.status, 400, 'the code was spent: reset-authenticator refuses it as a password');
});

test("another user's code, an expired code and a code tried too often are refused", async () => {
  await gh.createUser({ email: 'alice@example.com', password: 'the-old-password-1' });
  await gh.createUser({ email: 'bob@example.com', password: 'the-old-password-1' });
  const alice = await startRecovery('alice@example.com');
  const bob = await startRecovery('bob@example.com');
  const aliceCode = codeOf(await smtp.nextMessage('alice@example.com'));
  const bobCode = codeOf(await smtp.nextMessage('bob@example.com'));
  const bobAnswer = formNamed(bob.challenged.json, 'challenge-authenticator').href;
  if (aliceCode !== bobCode) {
    const crossed = await idx(bobAnswer, { credentials: { passcode: aliceCode }, stateHandle: bob.stateHandle });
    assert.equal(crossed.status, 401, "alice's code does not open bob's recovery");
  }
  gh.clock.advance(5 * 60_000 + 1);
  const late = await idx(bobAnswer, { credentials: { passcode: bobCode }, stateHandle: bob.stateHandle });
  assert.equal(late.status, 401);
  assert.equal(formNamed(late.json, 'challenge-authenticator').value[0].form.value[0].messages.value[0].i18n.key, 'idx.error.code.expired');

  const aliceAnswer = formNamed(alice.challenged.json, 'challenge-authenticator').href;
  const fresh = await idx(`${gh.baseUrl}/idp/idx/challenge/resend`, { stateHandle: alice.stateHandle });
  assert.equal(fresh.status, 200);
  const newCode = codeOf(await smtp.nextMessage('alice@example.com'));
  const wrong = newCode === '000000' ? '111111' : '000000';
  for (let i = 0; i < 5; i++) await idx(aliceAnswer, { credentials: { passcode: wrong }, stateHandle: alice.stateHandle });
  const exhausted = await idx(aliceAnswer, { credentials: { passcode: newCode }, stateHandle: alice.stateHandle });
  assert.equal(exhausted.status, 401, 'after five misses the right code is refused too');
});

test('an unknown identifier gets the same screens as a known one, and no mail is sent', async () => {
  await gh.createUser({ email: 'known@example.com', password: 'the-old-password-1' });
  const before = smtp.messages.length;
  const unknown = await startRecovery('nobody@example.com');
  const known = await startRecovery('known@example.com');
  await smtp.nextMessage('known@example.com');
  const shape = (r: any) => JSON.stringify(r.json, (k, v) => (['stateHandle', 'expiresAt', 'value'].includes(k) && typeof v === 'string' ? 'X' : k === 'id' && typeof v === 'string' && v.startsWith('eae') ? 'EAE' : v));
  assert.equal(shape(unknown.identified).replace(/n\*\*\*y|k\*\*\*n/g, 'M'), shape(known.identified).replace(/n\*\*\*y|k\*\*\*n/g, 'M'));
  assert.equal(unknown.challenged.status, known.challenged.status);
  assert.deepEqual(names(unknown.challenged.json), names(known.challenged.json));
  assert.equal(smtp.messages.length, before + 1, 'only the known user got mail');
  assert.ok(smtp.messages.every((m) => !m.to.includes('nobody@example.com')));
});

test('resend over its limit is 429 over the same forms', async () => {
  await gh.createUser({ email: 'resend@example.com', password: 'the-old-password-1' });
  const r = await startRecovery('resend@example.com');
  let last;
  for (let i = 0; i < 5; i++) last = await idx(`${gh.baseUrl}/idp/idx/challenge/resend`, { stateHandle: r.stateHandle });
  assert.equal(last!.status, 429);
  assert.deepEqual(names(last!.json), ['challenge-authenticator']);
  assert.equal(last!.json.messages.value[0].i18n.key, 'errors.E0000047');
});

test('revokeSessions ends every refresh token and IdP session of the user', async () => {
  await gh.createUser({ email: 'revoke@example.com', password: 'the-old-password-1' });
  const s = await signInForCode(gh, { clientId: web.clientId, redirectUri, username: 'revoke@example.com', password: 'the-old-password-1', scope: 'openid offline_access' });
  const issued = await token(gh, { grant_type: 'interaction_code', interaction_code: s.code, code_verifier: s.verifier }, web);
  assert.ok(issued.json.refresh_token);
  const r = await startRecovery('revoke@example.com');
  const code = codeOf(await smtp.nextMessage('revoke@example.com'));
  const answer = formNamed(r.challenged.json, 'challenge-authenticator').href;
  await idx(answer, { credentials: { passcode: code }, stateHandle: r.stateHandle });
  const done = await idx(answer, { credentials: { passcode: 'a-brand-new-password-8', revokeSessions: true }, stateHandle: r.stateHandle });
  assert.ok(interactionCodeOf(done.json));
  const refreshed = await token(gh, { grant_type: 'refresh_token', refresh_token: issued.json.refresh_token }, web);
  assert.equal(refreshed.json.error, 'invalid_grant');
});

test('okta-auth-js v7 idx.recoverPassword runs from the username to tokens', async () => {
  await gh.createUser({ email: 'v7@example.com', password: 'the-old-password-1' });
  const auth = new OktaAuth7({ issuer: gh.issuer, clientId: web.clientId, clientSecret: web.clientSecret, redirectUri, scopes: ['openid', 'email'] });
  let tx = await auth.idx.recoverPassword({ username: 'v7@example.com', authenticators: ['okta_email'] } as any);
  assert.equal(tx.status, 'PENDING', JSON.stringify(tx.messages));
  assert.equal(tx.nextStep?.name, 'challenge-authenticator');
  const code = codeOf(await smtp.nextMessage('v7@example.com'));
  tx = await auth.idx.proceed({ verificationCode: code } as any);
  assert.equal(tx.nextStep?.name, 'reset-authenticator', JSON.stringify(tx.messages));
  tx = await auth.idx.proceed({ password: 'v7-new-password-123' } as any);
  assert.equal(tx.status, 'SUCCESS', JSON.stringify(tx.messages));
  assert.ok((tx.tokens as any).idToken.idToken);
});

test('okta-auth-js v8 in step mode runs recovery to tokens', async () => {
  await gh.createUser({ email: 'v8@example.com', password: 'the-old-password-1' });
  const auth = new OktaAuth8({ issuer: gh.issuer, clientId: web.clientId, clientSecret: web.clientSecret, redirectUri, scopes: ['openid', 'email'] });
  let tx = await auth.idx.recoverPassword();
  assert.equal(tx.nextStep?.name, 'identify-recovery', JSON.stringify(tx.messages));
  tx = await auth.idx.proceed({ step: 'identify-recovery', username: 'v8@example.com' } as any);
  assert.equal(tx.nextStep?.name, 'select-authenticator-authenticate', JSON.stringify(tx.messages));
  tx = await auth.idx.proceed({ step: 'select-authenticator-authenticate', authenticator: 'okta_email' } as any);
  assert.equal(tx.nextStep?.name, 'challenge-authenticator', JSON.stringify(tx.messages));
  const code = codeOf(await smtp.nextMessage('v8@example.com'));
  tx = await auth.idx.proceed({ step: 'challenge-authenticator', verificationCode: code } as any);
  assert.equal(tx.nextStep?.name, 'reset-authenticator', JSON.stringify(tx.messages));
  tx = await auth.idx.proceed({ step: 'reset-authenticator', password: 'v8-new-password-123' } as any);
  assert.equal(tx.status, 'SUCCESS', JSON.stringify(tx.messages));
});

test('gatehouse user reset-password: sessions end, the old password dies, the mailed recovery_token opens the flow at the new password once', async () => {
  await gh.createUser({ email: 'admin-reset@example.com', password: 'the-old-password-1' });
  const verifyUri = 'http://localhost:3000/email-verify';
  const app = await gh.createApp({ name: 'with-callback', redirectUris: [redirectUri], emailVerifyUri: verifyUri });
  const cli = await runCli(['user', 'reset-password', '--email', 'admin-reset@example.com', '--client-id', app.clientId, '--db', `sqlite:${gh.dbPath}`],
    { GATEHOUSE_SECRET: 'test-secret-test-secret-test-secret-0123', GATEHOUSE_SMTP_URL: smtp.url });
  assert.equal(cli.status, 0, cli.stderr);
  const out = JSON.parse(cli.stdout);
  assert.equal(out.mailed, true);
  assert.equal(out.recovery_token, undefined, 'a mailed token is not printed');
  const mail = await smtp.nextMessage('admin-reset@example.com');
  assert.match(mail.text, /administrator has reset your password/);
  const link = new URL(linkOf(mail));
  assert.equal(link.origin + link.pathname, verifyUri);
  const recoveryToken = link.searchParams.get('recovery_token')!;
  assert.ok(recoveryToken.length >= 43);

  await assert.rejects(signInForCode(gh, { clientId: web.clientId, redirectUri, username: 'admin-reset@example.com', password: 'the-old-password-1' }), /sign-in failed: 401/);
  const it = await interact(gh, { clientId: app.clientId, redirectUri, extra: { recovery_token: recoveryToken } });
  const page = await introspect(gh, { interactionHandle: it.interactionHandle });
  assert.deepEqual(names(page.json), ['reset-authenticator']);
  const done = await idx(formNamed(page.json, 'reset-authenticator').href, { credentials: { passcode: 'chosen-after-reset-9' }, stateHandle: page.json.stateHandle });
  assert.ok(interactionCodeOf(done.json), JSON.stringify(done.json));
  await assert.rejects(interact(gh, { clientId: app.clientId, redirectUri, extra: { recovery_token: recoveryToken } }), /invalid_request/, 'the token works once');
  assert.ok((await signInForCode(gh, { clientId: web.clientId, redirectUri, username: 'admin-reset@example.com', password: 'chosen-after-reset-9' })).code);
});

test('mail that cannot be sent loses nothing: recovery answers as usual, and the failure is audited', async () => {
  const failing = await startSmtp({ reject: true });
  const local = await startServer({ config: { smtpUrl: failing.url } });
  try {
    await local.createUser({ email: 'bounce@example.com', password: 'the-old-password-1' });
    const app = await local.createApp({ name: 'bounce', redirectUris: [redirectUri] });
    const it = await interact(local, { clientId: app.clientId, redirectUri });
    const first = await introspect(local, { interactionHandle: it.interactionHandle });
    const asked = await idx(first.json.currentAuthenticator.value.recover.href, { stateHandle: first.json.stateHandle });
    await idx(formNamed(asked.json, 'identify-recovery').href, { identifier: 'bounce@example.com', stateHandle: first.json.stateHandle });
    const challenged = await idx(`${local.baseUrl}/idp/idx/challenge`, { authenticator: { id: 'autEMAIL00000000000' }, stateHandle: first.json.stateHandle });
    assert.equal(challenged.status, 200);
    assert.deepEqual(names(challenged.json), ['challenge-authenticator'], 'the transaction is intact');
    const events = await local.gatehouse.deps.store.events.list({ limit: 20 });
    const failed = await waitFor(async () => (await local.gatehouse.deps.store.events.list({ limit: 20, type: 'email.failed' }))[0]);
    assert.ok(failed, JSON.stringify(events.map((e) => e.type)));
  } finally {
    await local.close();
    await failing.close();
  }
});

/** Polls until the probe sees it or a generous deadline passes: the background send settles within the mail bound. */
async function waitFor<T>(probe: () => Promise<T | undefined>, deadlineMs = 15_000): Promise<T | undefined> {
  const end = Date.now() + deadlineMs;
  while (Date.now() < end) {
    const v = await probe();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
  return undefined;
}
