// Multi-factor sign-in by app policy (issue 9): an `any-2` app asks for a second factor after the password; a
// user without one enrolls Google Authenticator on the spot (the test computes codes from the shared secret, as
// the app would), then signs in with it; a code is never accepted twice; email works as the second factor too.
// okta-auth-js v7 (recursive) and v8 (step mode), and raw IDX calls for the exact shapes and bad input.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { decodeJwt } from 'jose';
import { OktaAuth as OktaAuth7 } from 'okta-auth-js-7';
import { OktaAuth as OktaAuth8 } from 'okta-auth-js-8';
import { startServer, type TestServer } from '../support/start-server.js';
import { codeOf as interactionCodeOf, idx, interact, introspect, pkce, token } from '../support/idx-client.js';
import { runCli } from '../support/cli.js';
import { codeOf, startSmtp, type TestSmtp } from '../support/smtp.js';
import { codeAt } from '../../src/identity/authenticators/totp.js';

// Two servers: one without mail (so the email authenticator is off and a second factor must be enrolled), and one
// with a real SMTP server (where every user's email enrollment is a second factor at once).
let gh: TestServer;
let mailed: TestServer;
let smtp: TestSmtp;
const redirectUri = 'http://localhost:3000/interactioncode/callback';
const password = 'a-long-password-1';
let strict: { clientId: string; clientSecret?: string };

before(async () => {
  smtp = await startSmtp();
  gh = await startServer();
  mailed = await startServer({ config: { smtpUrl: smtp.url } });
  strict = await gh.createApp({ name: 'mfa', redirectUris: [redirectUri], assurance: 'any-2' });
});
after(async () => {
  await gh.close();
  await mailed.close();
  await smtp.close();
});

const names = (json: any) => (json.remediation?.value ?? []).map((f: any) => f.name);
const formNamed = (json: any, name: string) => json.remediation?.value.find((f: any) => f.name === name);
const optionId = (form: any, key: string, json: any, list: string) => {
  const i = json[list].value.findIndex((a: any) => a.key === key);
  return form.value[0].options[i].value.form.value.find((f: any) => f.name === 'id').value;
};

/** Password sign-in to the point where the second factor is asked for. */
async function afterPassword(username: string, clientId = strict.clientId, server = gh) {
  const it = await interact(server, { clientId, redirectUri });
  const first = await introspect(server, { interactionHandle: it.interactionHandle });
  const next = await idx(formNamed(first.json, 'identify').href, { identifier: username, credentials: { passcode: password }, stateHandle: first.json.stateHandle });
  return { it, stateHandle: first.json.stateHandle as string, next };
}

/** Enrolls TOTP over the wire; returns the shared secret and the final response. */
async function enrollTotp(username: string) {
  const s = await afterPassword(username);
  assert.deepEqual(names(s.next.json), ['select-authenticator-enroll'], JSON.stringify(s.next.json));
  const select = formNamed(s.next.json, 'select-authenticator-enroll');
  assert.ok(s.next.json.authenticators.value.some((a: any) => a.key === 'google_otp'));
  assert.equal(s.next.json.authenticators.value.some((a: any) => a.key === 'okta_password'), false, 'the password is not a second factor');
  const enroll = await idx(select.href, { authenticator: { id: optionId(select, 'google_otp', s.next.json, 'authenticators') }, stateHandle: s.stateHandle });
  assert.deepEqual(names(enroll.json), ['enroll-authenticator']);
  const current = enroll.json.currentAuthenticator.value;
  assert.equal(current.key, 'google_otp');
  assert.match(current.contextualData.qrcode.href, /^data:image\/png;base64,/);
  const secret: string = current.contextualData.sharedSecret;
  assert.match(secret, /^[A-Z2-7]{32}$/);
  return { ...s, secret, enroll };
}

test('any-2: after the password, a user with no second factor enrolls Google Authenticator and is signed in with amr pwd+otp+mfa', async () => {
  await gh.createUser({ email: 'totp@example.com', password });
  const e = await enrollTotp('totp@example.com');
  const answer = formNamed(e.enroll.json, 'enroll-authenticator').href;
  const wrong = await idx(answer, { credentials: { passcode: codeAt(e.secret, gh.clock.now() - 10 * 60_000) }, stateHandle: e.stateHandle });
  assert.equal(wrong.status, 400);
  assert.deepEqual(names(wrong.json), ['enroll-authenticator'], 'nothing enrolled, same form');
  const done = await idx(answer, { credentials: { passcode: codeAt(e.secret, gh.clock.now()) }, stateHandle: e.stateHandle });
  const code = interactionCodeOf(done.json);
  assert.ok(code, JSON.stringify(done.json));
  const tokens = await token(gh, { grant_type: 'interaction_code', interaction_code: code!, code_verifier: e.it.verifier }, strict);
  const claims = decodeJwt(tokens.json.id_token);
  assert.deepEqual([...(claims.amr as string[])].sort(), ['mfa', 'otp', 'pwd']);
});

test('any-2: a user with TOTP is challenged for it; a code is never accepted twice', async () => {
  await gh.createUser({ email: 'again@example.com', password });
  const e = await enrollTotp('again@example.com');
  const first = gh.clock.now();
  const used = codeAt(e.secret, first);
  await idx(formNamed(e.enroll.json, 'enroll-authenticator').href, { credentials: { passcode: used }, stateHandle: e.stateHandle });

  const s = await afterPassword('again@example.com');
  assert.deepEqual(names(s.next.json), ['select-authenticator-authenticate']);
  const select = formNamed(s.next.json, 'select-authenticator-authenticate');
  const challenge = await idx(select.href, { authenticator: { id: optionId(select, 'google_otp', s.next.json, 'authenticatorEnrollments') }, stateHandle: s.stateHandle });
  assert.deepEqual(names(challenge.json), ['challenge-authenticator']);
  assert.equal(challenge.json.currentAuthenticatorEnrollment.value.key, 'google_otp');
  const answer = formNamed(challenge.json, 'challenge-authenticator').href;
  const replay = await idx(answer, { credentials: { passcode: used }, stateHandle: s.stateHandle });
  assert.equal(replay.status, 401);
  const field = formNamed(replay.json, 'challenge-authenticator').value[0].form.value[0];
  assert.equal(field.messages.value[0].i18n.key, 'authfactor.challenge.soft_token.used_passcode');
  gh.clock.advance(30_000);
  const ok = await idx(answer, { credentials: { passcode: codeAt(e.secret, gh.clock.now()) }, stateHandle: s.stateHandle });
  assert.ok(interactionCodeOf(ok.json), JSON.stringify(ok.json));
});

test('any-2: the email is a second factor too: a mailed code after the password', async () => {
  await mailed.createUser({ email: 'mail2@example.com', password });
  const app = await mailed.createApp({ name: 'mfa-mail', redirectUris: [redirectUri], assurance: 'any-2' });
  const s = await afterPassword('mail2@example.com', app.clientId, mailed);
  // Every user has an email enrollment, so the list offers it (and nothing needs enrolling).
  assert.deepEqual(names(s.next.json), ['select-authenticator-authenticate']);
  const select = formNamed(s.next.json, 'select-authenticator-authenticate');
  const challenge = await idx(select.href, { authenticator: { id: optionId(select, 'okta_email', s.next.json, 'authenticatorEnrollments') }, stateHandle: s.stateHandle });
  assert.equal(challenge.json.currentAuthenticatorEnrollment.value.profile.email, 'm***2@example.com');
  const code = codeOf(await smtp.nextMessage('mail2@example.com'));
  const done = await idx(formNamed(challenge.json, 'challenge-authenticator').href, { credentials: { passcode: code }, stateHandle: s.stateHandle });
  assert.ok(interactionCodeOf(done.json), JSON.stringify(done.json));
});

test('a select naming an authenticator that is not offered is a 400 field message, and nothing moves', async () => {
  await mailed.createUser({ email: 'offer@example.com', password });
  const app = await mailed.createApp({ name: 'mfa-offer', redirectUris: [redirectUri], assurance: 'any-2' });
  const s = await afterPassword('offer@example.com', app.clientId, mailed);
  const select = formNamed(s.next.json, 'select-authenticator-authenticate');
  for (const id of ['autPWD0000000000000', 'autWEBAUTHN00000000', 'nope']) {
    const r = await idx(select.href, { authenticator: { id }, stateHandle: s.stateHandle });
    assert.equal(r.status, 400, id);
    assert.deepEqual(names(r.json), ['select-authenticator-authenticate']);
  }
});

test('any-1 apps keep signing in with the password alone', async () => {
  await gh.createUser({ email: 'one@example.com', password });
  const app = await gh.createApp({ name: 'one', redirectUris: [redirectUri] });
  const s = await afterPassword('one@example.com', app.clientId);
  assert.ok(interactionCodeOf(s.next.json));
});

test('okta-auth-js v7 idx.authenticate: password, then TOTP enrollment with the code computed from the shared secret, then a sign-in with it', async () => {
  await gh.createUser({ email: 'js7@example.com', password });
  const auth = new OktaAuth7({ issuer: gh.issuer, clientId: strict.clientId, clientSecret: strict.clientSecret, redirectUri, scopes: ['openid', 'email'] });
  let tx = await auth.idx.authenticate({ username: 'js7@example.com', password, authenticators: ['google_otp'] } as any);
  assert.equal(tx.nextStep?.name, 'enroll-authenticator', JSON.stringify(tx.messages ?? tx.nextStep));
  const secret = (tx.nextStep as any).authenticator.contextualData.sharedSecret;
  tx = await auth.idx.proceed({ verificationCode: codeAt(secret, gh.clock.now()) } as any);
  assert.equal(tx.status, 'SUCCESS', JSON.stringify(tx.messages));

  const again = new OktaAuth7({ issuer: gh.issuer, clientId: strict.clientId, clientSecret: strict.clientSecret, redirectUri, scopes: ['openid', 'email'] });
  gh.clock.advance(30_000);
  let tx2 = await again.idx.authenticate({ username: 'js7@example.com', password, authenticators: ['google_otp'] } as any);
  assert.equal(tx2.nextStep?.name, 'challenge-authenticator', JSON.stringify(tx2.messages ?? tx2.nextStep));
  tx2 = await again.idx.proceed({ verificationCode: codeAt(secret, gh.clock.now()) } as any);
  assert.equal(tx2.status, 'SUCCESS', JSON.stringify(tx2.messages));
});

test('okta-auth-js v8 in step mode: password, select-authenticator-enroll, enroll-authenticator to tokens', async () => {
  await gh.createUser({ email: 'js8@example.com', password });
  const auth = new OktaAuth8({ issuer: gh.issuer, clientId: strict.clientId, clientSecret: strict.clientSecret, redirectUri, scopes: ['openid', 'email'] });
  let tx = await auth.idx.authenticate({ username: 'js8@example.com', password, step: 'identify' } as any);
  assert.equal(tx.nextStep?.name, 'select-authenticator-enroll', JSON.stringify(tx.messages ?? tx.nextStep));
  tx = await auth.idx.proceed({ step: 'select-authenticator-enroll', authenticator: 'google_otp' } as any);
  assert.equal(tx.nextStep?.name, 'enroll-authenticator', JSON.stringify(tx.messages ?? tx.nextStep));
  // v8's generic remediator hands back the form itself, with relatesTo resolved to the authenticator object.
  const secret = (tx.nextStep as any).relatesTo.value.contextualData.sharedSecret;
  tx = await auth.idx.proceed({ step: 'enroll-authenticator', verificationCode: codeAt(secret, gh.clock.now()) } as any);
  assert.equal(tx.status, 'SUCCESS', JSON.stringify(tx.messages));
});

test('remember this device: after a sign-in with a second factor, the same browser (its cookie) skips it; another browser does not; a factor change ends it', async () => {
  await gh.createUser({ email: 'remember@example.com', password });
  const app = await gh.createApp({ name: 'remember', redirectUris: [redirectUri], assurance: 'any-2', rememberDeviceMinutes: 60 });
  const first = await afterPassword('remember@example.com', app.clientId);
  const select = formNamed(first.next.json, 'select-authenticator-enroll');
  const enroll = await idx(select.href, { authenticator: { id: optionId(select, 'google_otp', first.next.json, 'authenticators') }, stateHandle: first.stateHandle });
  const secret = enroll.json.currentAuthenticator.value.contextualData.sharedSecret;
  const done = await idx(formNamed(enroll.json, 'enroll-authenticator').href, { credentials: { passcode: codeAt(secret, gh.clock.now()) }, stateHandle: first.stateHandle });
  assert.ok(interactionCodeOf(done.json));
  const device = (done.headers.getSetCookie?.() ?? []).find((c) => c.startsWith('gh_device='));
  assert.ok(device, 'a remember-device cookie is set');
  assert.match(device!, /HttpOnly/);
  const cookie = device!.split(';')[0]!;

  const withCookie = async () => {
    const it = await interact(gh, { clientId: app.clientId, redirectUri });
    const page = await introspect(gh, { interactionHandle: it.interactionHandle });
    return idx(formNamed(page.json, 'identify').href, { identifier: 'remember@example.com', credentials: { passcode: password }, stateHandle: page.json.stateHandle }, { cookie });
  };
  assert.ok(interactionCodeOf((await withCookie()).json), 'this browser skips the second factor');
  const other = await afterPassword('remember@example.com', app.clientId);
  assert.deepEqual(names(other.next.json), ['select-authenticator-authenticate'], 'another browser is asked');
  const stranger = await gh.createUser({ email: 'stranger@example.com', password });
  const it = await interact(gh, { clientId: app.clientId, redirectUri });
  const page = await introspect(gh, { interactionHandle: it.interactionHandle });
  const theirs = await idx(formNamed(page.json, 'identify').href, { identifier: 'stranger@example.com', credentials: { passcode: password }, stateHandle: page.json.stateHandle }, { cookie });
  assert.equal(interactionCodeOf(theirs.json), undefined, `the cookie is worth nothing for ${stranger.id}`);

  const cli = await runCli(['user', 'reset-factor', '--email', 'remember@example.com', '--key', 'google_otp', '--db', `sqlite:${gh.dbPath}`], { GATEHOUSE_SECRET: 'test-secret-test-secret-test-secret-0123' });
  assert.equal(cli.status, 0, cli.stderr);
  assert.deepEqual(JSON.parse(cli.stdout).map((f: any) => f.key).sort(), ['okta_email', 'okta_password']);
  const after = await withCookie();
  assert.deepEqual(names(after.json), ['select-authenticator-enroll'], 'a changed factor set ends the remembered device');
});

test('acr_values step-up: an any-1 session on the hosted page asks only for the second factor, then returns a code with acr 2fa', async () => {
  await gh.createUser({ email: 'stepup@example.com', password });
  const app = await gh.createApp({ name: 'stepup', redirectUris: [redirectUri] });
  // An any-1 sign-in opens the session.
  const it = await interact(gh, { clientId: app.clientId, redirectUri });
  const page = await introspect(gh, { interactionHandle: it.interactionHandle });
  const signed = await idx(formNamed(page.json, 'identify').href, { identifier: 'stepup@example.com', credentials: { passcode: password }, stateHandle: page.json.stateHandle });
  const session = (signed.headers.get('set-cookie') ?? '').split(';')[0]!;
  const p = pkce();
  const url = new URL(`${gh.issuer}/v1/authorize`);
  for (const [k, v] of Object.entries({ client_id: app.clientId, redirect_uri: redirectUri, response_type: 'code', scope: 'openid', state: 's', code_challenge: p.challenge, code_challenge_method: 'S256', acr_values: 'urn:okta:loa:2fa:any' })) url.searchParams.set(k, v);
  const none = new URL(url);
  none.searchParams.set('prompt', 'none');
  const refused = await fetch(none, { headers: { cookie: session }, redirect: 'manual' });
  assert.equal(new URL(refused.headers.get('location')!).searchParams.get('error'), 'interaction_required');
  const hosted = await fetch(url, { headers: { cookie: session }, redirect: 'manual' });
  assert.equal(hosted.status, 200, 'the hosted page, not a code: the session is not strong enough');
  const stateToken = JSON.parse(/<script type="application\/json" id="gh-config"[^>]*>([^<]*)<\/script>/.exec(await hosted.text())![1]!).stateToken;
  const resumed = await introspect(gh, { stateToken });
  assert.deepEqual(names(resumed.json), ['select-authenticator-enroll'], 'only the missing factor is asked for, no password');
  const select = formNamed(resumed.json, 'select-authenticator-enroll');
  const enroll = await idx(select.href, { authenticator: { id: optionId(select, 'google_otp', resumed.json, 'authenticators') }, stateHandle: stateToken });
  const secret = enroll.json.currentAuthenticator.value.contextualData.sharedSecret;
  const done = await idx(formNamed(enroll.json, 'enroll-authenticator').href, { credentials: { passcode: codeAt(secret, gh.clock.now()) }, stateHandle: stateToken });
  const code = new URL(done.json.success.href).searchParams.get('code')!;
  const tokens = await token(gh, { grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: p.verifier }, app);
  const claims = decodeJwt(tokens.json.id_token);
  assert.equal(claims.acr, 'urn:okta:loa:2fa:any');
  assert.ok((claims.amr as string[]).includes('mfa'));
});

test('gatehouse authenticator disable takes a factor out of every choice; enable brings it back', async () => {
  const run = (...args: string[]) => runCli([...args, '--db', `sqlite:${gh.dbPath}`], { GATEHOUSE_SECRET: 'test-secret-test-secret-test-secret-0123' });
  const off = await run('authenticator', 'disable', '--key', 'google_otp');
  assert.equal(off.status, 0, off.stderr);
  assert.equal(JSON.parse(off.stdout).find((a: any) => a.key === 'google_otp').status, 'INACTIVE');
  await gh.createUser({ email: 'noauth@example.com', password });
  const s = await afterPassword('noauth@example.com');
  assert.equal(s.next.json.authenticators.value.some((a: any) => a.key === 'google_otp'), false);
  assert.equal((await run('authenticator', 'disable', '--key', 'okta_password')).status, 2);
  assert.equal((await run('authenticator', 'enable', '--key', 'google_otp')).status, 0);
  const again = await afterPassword('noauth@example.com');
  assert.ok(again.next.json.authenticators.value.some((a: any) => a.key === 'google_otp'));
});

test('okta-auth-js v7 and v8: password + email code on an any-2 app', async () => {
  await mailed.createUser({ email: 'js-mail@example.com', password });
  const app = await mailed.createApp({ name: 'js-mail', redirectUris: [redirectUri], assurance: 'any-2' });
  const v7 = new OktaAuth7({ issuer: mailed.issuer, clientId: app.clientId, clientSecret: app.clientSecret, redirectUri, scopes: ['openid', 'email'] });
  let tx = await v7.idx.authenticate({ username: 'js-mail@example.com', password, authenticators: ['okta_email'] } as any);
  assert.equal(tx.nextStep?.name, 'challenge-authenticator', JSON.stringify(tx.messages ?? tx.nextStep));
  tx = await v7.idx.proceed({ verificationCode: codeOf(await smtp.nextMessage('js-mail@example.com')) } as any);
  assert.equal(tx.status, 'SUCCESS', JSON.stringify(tx.messages));
  assert.deepEqual([...((tx.tokens as any).idToken.claims.amr as string[])].sort(), ['email', 'mfa', 'pwd']);

  const v8 = new OktaAuth8({ issuer: mailed.issuer, clientId: app.clientId, clientSecret: app.clientSecret, redirectUri, scopes: ['openid', 'email'] });
  let t8 = await v8.idx.authenticate({ username: 'js-mail@example.com', password, step: 'identify' } as any);
  assert.equal(t8.nextStep?.name, 'select-authenticator-authenticate', JSON.stringify(t8.messages ?? t8.nextStep));
  t8 = await v8.idx.proceed({ step: 'select-authenticator-authenticate', authenticator: 'okta_email' } as any);
  assert.equal(t8.nextStep?.name, 'challenge-authenticator', JSON.stringify(t8.messages ?? t8.nextStep));
  t8 = await v8.idx.proceed({ step: 'challenge-authenticator', verificationCode: codeOf(await smtp.nextMessage('js-mail@example.com')) } as any);
  assert.equal(t8.status, 'SUCCESS', JSON.stringify(t8.messages));
});
