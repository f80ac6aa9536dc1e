// Self-service registration and unlock (issue 10), with real mail: a real SMTP server on loopback receives every
// message. okta-auth-js v7 `idx.register` and v8 step mode sign a new user up to tokens whose claims carry the
// profile (custom attributes included); v7 `idx.unlockAccount` lifts a lock; raw IDX calls prove the bad input:
// field messages all at once, a taken address that looks like a new one (one mail to its owner, one user), an
// unknown or unlocked identifier that gets the same screens and no mail.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { decodeJwt } from 'jose';
import { OktaAuth as OktaAuth7 } from 'okta-auth-js-7';
import { OktaAuth as OktaAuth8 } from 'okta-auth-js-8';
import { startServer, type TestServer } from '../support/start-server.js';
import { codeOf as interactionCodeOf, idx, interact, introspect, signInForCode } from '../support/idx-client.js';
import { codeOf, startSmtp, type TestSmtp } from '../support/smtp.js';
import { runCli } from '../support/cli.js';

let gh: TestServer;
let smtp: TestSmtp;
const redirectUri = 'http://localhost:3000/interactioncode/callback';
let web: { clientId: string; clientSecret?: string };
const cli = (...args: string[]) => runCli([...args, '--db', `sqlite:${gh.dbPath}`], { GATEHOUSE_SECRET: 'test-secret-test-secret-test-secret-0123' });

before(async () => {
  smtp = await startSmtp();
  gh = await startServer({ config: { smtpUrl: smtp.url } });
  web = await gh.createApp({ name: 'signup', redirectUris: [redirectUri] });
  const policy = await cli('policy', 'set', '--self-service-registration', 'on', '--self-service-unlock', 'on');
  assert.equal(policy.status, 0, policy.stderr);
  const schema = await cli('profile-schema', 'add', '--name', 'department', '--label', 'Department', '--enum', 'Sales,Engineering', '--required');
  assert.equal(schema.status, 0, schema.stderr);
});
after(async () => {
  await gh.close();
  await smtp.close();
});

const names = (json: any) => (json.remediation?.value ?? []).map((f: any) => f.name);
const formNamed = (json: any, name: string) => json.remediation?.value.find((f: any) => f.name === name);
const fieldMessage = (json: any, form: string, path: string[]) => {
  let fields = formNamed(json, form).value;
  let field: any;
  for (const p of path) { field = fields.find((f: any) => f.name === p); fields = field?.form?.value; }
  return field?.messages?.value?.[0]?.i18n?.key;
};

async function startSignUp() {
  const it = await interact(gh, { clientId: web.clientId, redirectUri, scope: 'openid profile email' });
  const first = await introspect(gh, { interactionHandle: it.interactionHandle });
  assert.ok(names(first.json).includes('select-enroll-profile'), 'Sign up is offered');
  assert.ok(names(first.json).includes('unlock-account'), 'Unlock account is offered');
  const page = await idx(formNamed(first.json, 'select-enroll-profile').href, { stateHandle: first.json.stateHandle });
  assert.deepEqual(names(page.json), ['enroll-profile', 'select-identify']);
  return { it, stateHandle: first.json.stateHandle as string, page };
}

test('the enroll-profile form is the schema, and every problem comes back at once as field messages', async () => {
  const s = await startSignUp();
  const profile = formNamed(s.page.json, 'enroll-profile').value.find((f: any) => f.name === 'userProfile').form.value;
  assert.deepEqual(profile.map((f: any) => f.name), ['email', 'firstName', 'lastName', 'department']);
  assert.deepEqual(profile.find((f: any) => f.name === 'department').options.map((o: any) => o.value), ['Sales', 'Engineering']);
  assert.equal(s.page.json.currentAuthenticator.value.settings.complexity.minLength, 8);
  const bad = await idx(formNamed(s.page.json, 'enroll-profile').href, {
    userProfile: { email: 'not-an-email', firstName: '', lastName: 'x'.repeat(51), department: 'Marketing', unknownAttr: 'ignored' },
    credentials: { passcode: 'short' }, stateHandle: s.stateHandle,
  });
  assert.equal(bad.status, 400);
  assert.equal(fieldMessage(bad.json, 'enroll-profile', ['userProfile', 'email']), 'registration.error.invalidLoginEmail');
  assert.equal(fieldMessage(bad.json, 'enroll-profile', ['userProfile', 'firstName']), 'model.validation.field.blank');
  assert.equal(fieldMessage(bad.json, 'enroll-profile', ['userProfile', 'lastName']), 'model.validation.field.invalid');
  assert.equal(fieldMessage(bad.json, 'enroll-profile', ['userProfile', 'department']), 'model.validation.field.invalid');
  assert.equal(fieldMessage(bad.json, 'enroll-profile', ['credentials', 'passcode']), 'password.passwordRequirementsNotMet');
  assert.equal(await gh.gatehouse.deps.store.users.findByLogin('not-an-email'), null, 'nothing created');
});

test('sign-up over the wire: STAGED until the mailed code, then signed in with the profile in the claims', async () => {
  const s = await startSignUp();
  const verify = await idx(formNamed(s.page.json, 'enroll-profile').href, {
    userProfile: { email: 'new@example.com', firstName: 'Nova', lastName: 'Newton', department: 'Engineering' },
    credentials: { passcode: 'a-fresh-password-1' }, stateHandle: s.stateHandle,
  });
  assert.deepEqual(names(verify.json), ['enroll-authenticator']);
  assert.equal(verify.json.currentAuthenticator.value.key, 'okta_email');
  assert.equal((await gh.gatehouse.deps.store.users.findByLogin('new@example.com'))!.status, 'STAGED');
  await assert.rejects(signInForCode(gh, { clientId: web.clientId, redirectUri, username: 'new@example.com', password: 'a-fresh-password-1' }), /401/, 'a STAGED user cannot sign in');
  const code = codeOf(await smtp.nextMessage('new@example.com'));
  const done = await idx(formNamed(verify.json, 'enroll-authenticator').href, { credentials: { passcode: code }, stateHandle: s.stateHandle });
  const interactionCode = interactionCodeOf(done.json);
  assert.ok(interactionCode, JSON.stringify(done.json));
  assert.equal((await gh.gatehouse.deps.store.users.findByLogin('new@example.com'))!.status, 'ACTIVE');
  const res = await fetch(`${gh.issuer}/v1/token`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'Basic ' + Buffer.from(`${web.clientId}:${web.clientSecret}`).toString('base64') },
    body: new URLSearchParams({ grant_type: 'interaction_code', interaction_code: interactionCode!, code_verifier: s.it.verifier }),
  });
  const tokens = await res.json();
  const claims = decodeJwt(tokens.id_token);
  assert.equal(claims.email, 'new@example.com');
  assert.equal(claims.department, 'Engineering');
  const info = await (await fetch(`${gh.issuer}/v1/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } })).json();
  assert.equal(info.department, 'Engineering');
  assert.equal(info.name, 'Nova Newton');
});

test('signing up with an address that has an account: the same screens, one mail to the owner, no second user, no change', async () => {
  await gh.createUser({ email: 'owner@example.com', password: 'olgas-secret-pass-1', firstName: 'Olga' });
  const before = (await gh.gatehouse.deps.store.users.list()).length;
  const s = await startSignUp();
  const r = await idx(formNamed(s.page.json, 'enroll-profile').href, {
    userProfile: { email: 'owner@example.com', firstName: 'Mallory', lastName: 'M', department: 'Sales' },
    credentials: { passcode: 'a-takeover-password-1' }, stateHandle: s.stateHandle,
  });
  assert.equal(r.status, 200);
  assert.deepEqual(names(r.json), ['enroll-authenticator'], 'the same verification screen');
  const mail = await smtp.nextMessage('owner@example.com');
  assert.match(mail.subject, /tried to sign up/);
  assert.doesNotMatch(mail.text, /\b\d{6}\b/, 'no code that could finish anything');
  const guess = await idx(formNamed(r.json, 'enroll-authenticator').href, { credentials: { passcode: '123456' }, stateHandle: s.stateHandle });
  assert.equal(guess.status, 400);
  assert.equal((await gh.gatehouse.deps.store.users.list()).length, before, 'no second user');
  const owner = (await gh.gatehouse.deps.store.users.findByLogin('owner@example.com'))!;
  assert.equal(owner.firstName, 'Olga', 'nothing changed');
  assert.ok((await signInForCode(gh, { clientId: web.clientId, redirectUri, username: 'owner@example.com', password: 'olgas-secret-pass-1' })).code);
});

test('okta-auth-js v7 idx.register and v8 step mode sign a new user up to tokens', async () => {
  const v7 = new OktaAuth7({ issuer: gh.issuer, clientId: web.clientId, clientSecret: web.clientSecret, redirectUri, scopes: ['openid', 'email', 'profile'] });
  let tx = await v7.idx.register({ firstName: 'Seven', lastName: 'V', email: 'seven@example.com', password: 'a-fresh-password-7', department: 'Sales' } as any);
  assert.equal(tx.nextStep?.name, 'enroll-authenticator', JSON.stringify(tx.messages ?? tx.nextStep));
  tx = await v7.idx.proceed({ verificationCode: codeOf(await smtp.nextMessage('seven@example.com')) } as any);
  assert.equal(tx.status, 'SUCCESS', JSON.stringify(tx.messages));
  assert.equal((tx.tokens as any).idToken.claims.department, 'Sales');

  const v8 = new OktaAuth8({ issuer: gh.issuer, clientId: web.clientId, clientSecret: web.clientSecret, redirectUri, scopes: ['openid', 'email'] });
  let t8 = await v8.idx.start();
  t8 = await v8.idx.proceed({ step: 'select-enroll-profile' } as any);
  assert.equal(t8.nextStep?.name, 'enroll-profile', JSON.stringify(t8.messages ?? t8.nextStep));
  t8 = await v8.idx.proceed({ step: 'enroll-profile', userProfile: { firstName: 'Eight', lastName: 'V', email: 'eight@example.com', department: 'Sales' }, credentials: { passcode: 'a-fresh-password-8' } } as any);
  assert.equal(t8.nextStep?.name, 'enroll-authenticator', JSON.stringify(t8.messages ?? t8.nextStep));
  t8 = await v8.idx.proceed({ step: 'enroll-authenticator', verificationCode: codeOf(await smtp.nextMessage('eight@example.com')) } as any);
  assert.equal(t8.status, 'SUCCESS', JSON.stringify(t8.messages));
});

test('okta-auth-js v7 idx.unlockAccount lifts a lock with the mailed code; the password then signs in', async () => {
  await gh.createUser({ email: 'locked@example.com', password: 'the-right-password-1' });
  for (let i = 0; i < 10; i++) await signInForCode(gh, { clientId: web.clientId, redirectUri, username: 'locked@example.com', password: 'wrong-password-x' }).catch(() => {});
  await assert.rejects(signInForCode(gh, { clientId: web.clientId, redirectUri, username: 'locked@example.com', password: 'the-right-password-1' }), /401/, 'locked');
  const auth = new OktaAuth7({ issuer: gh.issuer, clientId: web.clientId, clientSecret: web.clientSecret, redirectUri, scopes: ['openid'] });
  let tx = await auth.idx.unlockAccount({ username: 'locked@example.com', authenticators: ['okta_email'] } as any);
  assert.equal(tx.nextStep?.name, 'challenge-authenticator', JSON.stringify(tx.messages ?? tx.nextStep));
  tx = await auth.idx.proceed({ verificationCode: codeOf(await smtp.nextMessage('locked@example.com')) } as any);
  assert.equal(tx.status, 'TERMINAL', JSON.stringify(tx));
  assert.equal((tx.messages as any)[0].i18n.key, 'oie.selfservice.unlock_user.success.message');
  assert.ok((await signInForCode(gh, { clientId: web.clientId, redirectUri, username: 'locked@example.com', password: 'the-right-password-1' })).code);
});

test('unlock for an unknown or an unlocked identifier: the same screens and no mail', async () => {
  await gh.createUser({ email: 'fine@example.com', password: 'the-right-password-1' });
  const before = smtp.messages.length;
  for (const identifier of ['nobody@example.com', 'fine@example.com']) {
    const it = await interact(gh, { clientId: web.clientId, redirectUri });
    const first = await introspect(gh, { interactionHandle: it.interactionHandle });
    const page = await idx(formNamed(first.json, 'unlock-account').href, { stateHandle: first.json.stateHandle });
    assert.deepEqual(names(page.json), ['select-authenticator-unlock-account']);
    const r = await idx(formNamed(page.json, 'select-authenticator-unlock-account').href, { identifier, authenticator: { id: 'autEMAIL00000000000', methodType: 'email' }, stateHandle: first.json.stateHandle });
    assert.equal(r.status, 200);
    assert.deepEqual(names(r.json), ['challenge-authenticator'], identifier);
  }
  assert.equal(smtp.messages.length, before, 'no mail');
});
