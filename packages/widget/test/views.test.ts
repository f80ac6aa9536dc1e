// The widget's generic rendering in Chromium against scripted IDX answers (the wire of
// shared/spec/idx-authenticators.md §4, §7, §8.2), for what a real server cannot easily show on demand:
// sibling forms and actions, the polling cadence (paused during a submit, backing off on 429, stopped when the
// view changes), message placement on nested fields, password rules ticked as the user types, axe on each view.
// The real server's recovery flow is covered in widget.test.ts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page, Route } from 'playwright-core';
import { launchBrowser, withPage, type PageRecord } from './support/browser.js';

const require = createRequire(import.meta.url);
const ID = 'https://id.gatehouse.test';
const APP = 'https://app.gatehouse.test';
const dist = new URL('../dist/', import.meta.url);
const axe = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
let browser: Browser;

before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

const SH = { name: 'stateHandle', required: true, value: '02SH', visible: false, mutable: false };
const form = (name: string, path: string, value: unknown[] = [], extra: Record<string, unknown> = {}) =>
  ({ rel: ['create-form'], name, href: `${ID}/idp/idx/${path}`, method: 'POST', accepts: 'application/json; okta-version=1.0.0', value: [...value, SH], ...extra });
const base = (remediations: unknown[], extra: Record<string, unknown> = {}) =>
  ({ version: '1.0.0', stateHandle: '02SH', intent: 'LOGIN', remediation: { type: 'array', value: remediations }, cancel: form('cancel', 'cancel'), ...extra });
const password = { type: 'password', key: 'okta_password', id: 'autPW', displayName: 'Password', methods: [{ type: 'password' }] };
const complexity = { minLength: 8, minLowerCase: 1, minUpperCase: 1, minNumber: 1, minSymbol: 0, excludeUsername: true, excludeAttributes: ['firstName'] };
const recovery = { recoveryAuthenticator: { type: 'object', value: { ...password, settings: { complexity } } } };
const emailOption = { label: 'Email', relatesTo: '$.authenticatorEnrollments.value[0]', value: { form: { value: [{ name: 'id', required: true, value: 'autEMAIL', mutable: false }, { name: 'methodType', required: false, value: 'email', mutable: false }] } } };
const otherOption = { label: 'Authenticator app', relatesTo: '$.authenticatorEnrollments.value[1]', value: { form: { value: [{ name: 'id', required: true, value: 'autOTP', mutable: false }, { name: 'methodType', required: false, value: 'otp', mutable: false }] } } };

const identify = () => base([form('identify', 'identify', [{ name: 'identifier', label: 'Username', required: true }, { name: 'credentials', type: 'object', required: true, form: { value: [{ name: 'passcode', label: 'Password', secret: true }] } }]), form('select-enroll-profile', 'enroll')],
  { currentAuthenticator: { type: 'object', value: { ...password, recover: form('recover', 'recover') } } });
const identifyRecovery = () => base([form('identify-recovery', 'identify', [{ name: 'identifier', label: 'Username', required: true }]), form('select-identify', 'identify/select')], recovery);
const verificationData = () => base([form('authenticator-verification-data', 'challenge', [{ name: 'authenticator', label: 'Email', form: { value: [{ name: 'id', required: true, value: 'autEMAIL', mutable: false }, { name: 'methodType', type: 'string', required: true, options: [{ label: 'Email', value: 'email' }] }] } }], { relatesTo: ['$.currentAuthenticatorEnrollment'] })],
  { ...recovery, currentAuthenticatorEnrollment: { type: 'object', value: { type: 'email', key: 'okta_email', id: 'eaeEMAIL', displayName: 'Email', methods: [{ type: 'email' }], profile: { email: 'j***e@example.com' } } } });
const emailChallenge = (options = [emailOption], refresh = 500, message?: { on: 'credentials' | 'credentials.passcode' }) => {
  const passcode: Record<string, unknown> = { name: 'passcode', label: 'Enter code' };
  const credentials: Record<string, unknown> = { name: 'credentials', type: 'object', required: true, form: { value: [passcode] } };
  const msg = { type: 'array', value: [{ message: 'Invalid code. Try again.', i18n: { key: 'api.authn.error.PASSCODE_INVALID' }, class: 'ERROR' }] };
  if (message?.on === 'credentials') credentials.messages = msg;
  else if (message) passcode.messages = msg;
  return base([form('challenge-authenticator', 'challenge/answer', [credentials], { relatesTo: ['$.currentAuthenticatorEnrollment'] }), form('select-authenticator-authenticate', 'challenge', [{ name: 'authenticator', type: 'object', options }])], {
    ...recovery,
    currentAuthenticatorEnrollment: { type: 'object', value: { type: 'email', key: 'okta_email', id: 'eaeEMAIL', displayName: 'Email', methods: [{ type: 'email' }], profile: { email: 'j***e@example.com' }, contextualData: { useEmailMagicLink: true },
      resend: form('resend', 'challenge/resend'), poll: form('poll', 'challenge/poll', [], { refresh }) } },
    authenticatorEnrollments: { type: 'array', value: [{ type: 'email', key: 'okta_email', id: 'eaeEMAIL' }, { type: 'app', key: 'google_otp', id: 'eaeOTP' }] },
  });
};
const reset = (message?: string) => base([form('reset-authenticator', 'challenge/answer', [{ name: 'credentials', type: 'object', required: true, form: { value: [
  { name: 'passcode', label: 'New password', secret: true, ...(message ? { messages: { type: 'array', value: [{ message, i18n: { key: 'password.passwordRequirementsNotMet', params: [message] }, class: 'ERROR' }] } } : {}) },
  { name: 'revokeSessions', type: 'boolean', label: 'Sign me out of all other devices' }] } }], { relatesTo: ['$.currentAuthenticator'] })],
{ ...recovery, currentAuthenticator: { type: 'object', value: { ...password, settings: { complexity } } }, user: { type: 'object', value: { id: '00u1', identifier: 'jane.doe@example.com', profile: { firstName: 'Jane' } } } });
const success = () => ({ version: '1.0.0', successWithInteractionCode: { rel: ['create-form'], name: 'issue', href: `${ID}/oauth2/default/v1/token`, method: 'POST', value: [{ name: 'interaction_code', value: 'IC123' }] } });

interface Call { path: string; body: any; at: number }
type Handler = (path: string, body: any, calls: Call[]) => { status?: number; body: unknown } | undefined;

/** Serves the app page, the widget and scripted IDX answers; records every IDX call. */
async function setup(p: Page, handler: Handler, extra: Record<string, unknown> = {}) {
  const calls: Call[] = [];
  const cfg = { issuer: `${ID}/oauth2/default`, clientId: 'c1', redirectUri: `${APP}/cb`, state: 'st1', codeChallenge: 'x'.repeat(43), codeChallengeMethod: 'S256', ...extra };
  const csp = `default-src 'none'; script-src 'self' ${ID}; style-src 'self' ${ID}; connect-src ${ID}; base-uri 'none'; form-action 'none'`;
  await p.context().route(`${APP}/**`, (route: Route) => {
    const url = new URL(route.request().url());
    if (url.pathname === '/start.js') return route.fulfill({ contentType: 'text/javascript', body: `new GatehouseSignIn(JSON.parse(document.getElementById('cfg').textContent)).showSignInAndRedirect({ el: '#sign-in' });` });
    if (url.pathname === '/cb') return route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>cb</title>' });
    return route.fulfill({ contentType: 'text/html', headers: { 'content-security-policy': csp }, body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>App</title>
<link rel="stylesheet" href="${ID}/gatehouse-signin.css"><script src="${ID}/gatehouse-signin.js"></script></head>
<body><main><div id="sign-in"></div></main><script type="application/json" id="cfg">${JSON.stringify(cfg)}</script><script src="/start.js"></script></body></html>` });
  });
  await p.context().route(`${ID}/**`, async (route: Route) => {
    const req = route.request();
    const url = new URL(req.url());
    const cors = { 'access-control-allow-origin': APP, 'access-control-allow-credentials': 'true', 'access-control-allow-headers': 'content-type, accept' };
    if (req.method() === 'OPTIONS') return route.fulfill({ status: 204, headers: cors });
    // The language files, where the widget looks for them (the issuer's /widget/{version}/), as the server serves them.
    if (url.pathname.startsWith('/widget/')) return route.fulfill({ contentType: 'application/json', headers: { 'access-control-allow-origin': '*' }, body: readFileSync(new URL(url.pathname.split('/').pop()!, dist), 'utf8') });
    if (url.pathname.endsWith('.js') || url.pathname.endsWith('.css')) {
      return route.fulfill({ contentType: url.pathname.endsWith('.js') ? 'text/javascript' : 'text/css', headers: { 'access-control-allow-origin': '*' }, body: readFileSync(new URL(url.pathname.slice(1), dist), 'utf8') });
    }
    if (url.pathname.endsWith('/v1/interact')) return route.fulfill({ headers: cors, contentType: 'application/json', body: JSON.stringify({ interaction_handle: 'ih' }) });
    const path = url.pathname.replace('/idp/idx/', '');
    const body = req.postData() ? JSON.parse(req.postData()!) : undefined;
    calls.push({ path, body, at: Date.now() });
    const r = handler(path, body, calls) ?? { status: 500, body: {} };
    return route.fulfill({ status: r.status ?? 200, headers: cors, contentType: 'application/ion+json; okta-version=1.0.0', body: JSON.stringify(r.body) });
  });
  return calls;
}

/** axe on the widget; the styles axe itself injects are not the widget's CSP violations, so they are dropped. */
async function axeClean(p: Page, rec?: PageRecord) {
  const n = rec?.cspViolations.length ?? 0;
  await p.evaluate(axe);
  const v = await p.evaluate(async () => (await (window as any).axe.run('#sign-in')).violations.map((x: any) => `${x.id}: ${x.nodes.map((n: any) => n.target).join(' ')}`));
  assert.deepEqual(v, []);
  await p.waitForTimeout(50);
  rec?.cspViolations.splice(n);
}

/** The recovery flow as the spec's wire has it, with a switch for what the answer endpoint says. */
function recoveryServer(opts: { code?: string; message?: 'credentials' | 'credentials.passcode'; refresh?: number; pollAnswer?: (n: number) => { status?: number; body: unknown } | undefined } = {}): Handler {
  let polls = 0;
  return (path, body) => {
    if (path === 'introspect') return { body: identify() };
    if (path === 'recover') return { body: identifyRecovery() };
    if (path === 'identify') return { body: verificationData() };
    if (path === 'challenge') return { body: emailChallenge(undefined, opts.refresh) };
    if (path === 'challenge/resend') return { body: emailChallenge(undefined, opts.refresh) };
    if (path === 'challenge/poll') return opts.pollAnswer?.(++polls) ?? { body: emailChallenge(undefined, opts.refresh) };
    if (path === 'challenge/answer' && body.credentials.passcode.length > 6) return { body: success() };
    if (path === 'challenge/answer') return body.credentials.passcode === (opts.code ?? '123456') ? { body: reset() } : { status: 401, body: emailChallenge(undefined, opts.refresh, { on: opts.message ?? 'credentials.passcode' }) };
    if (path === 'cancel') return { body: { version: '1.0.0', messages: { type: 'array', value: [{ message: 'cancelled', class: 'ERROR' }] } } };
    return undefined;
  };
}

async function toEmailChallenge(p: Page) {
  await p.goto(APP + '/');
  await p.getByLabel('Username').fill('jane.doe@example.com');
  await p.getByRole('button', { name: 'Forgot password?' }).click();
  await p.getByRole('heading', { name: 'Reset your password' }).waitFor();
  assert.equal(await p.getByLabel('Username').inputValue(), 'jane.doe@example.com', 'the typed username carries over');
  await p.getByRole('button', { name: 'Next' }).click();
  await p.getByRole('button', { name: 'Send me an email' }).click();
  await p.getByRole('heading', { name: 'Verify with your email' }).waitFor();
}

test('recovery: Forgot password? → username → send email → code → new password with live rules → redirect', async (t) => {
  await withPage(browser, t, async (p, rec) => {
    const calls = await setup(p, recoveryServer());
    await p.goto(APP + '/');
    await p.getByRole('heading', { name: 'Sign In' }).waitFor();
    assert.equal(await p.getByRole('button', { name: 'Sign up' }).count(), 1, 'a sibling with only a stateHandle is a link-button');
    await axeClean(p, rec);
    await toEmailChallenge(p);
    assert.deepEqual(calls.find((c) => c.path === 'recover')!.body, { stateHandle: '02SH' });
    assert.deepEqual(calls.find((c) => c.path === 'challenge')!.body, { authenticator: { id: 'autEMAIL', methodType: 'email' }, stateHandle: '02SH' }, 'the single method is sent without a control');
    assert.match((await p.locator('.gh-sub').textContent())!, /j\*\*\*e@example\.com/);
    const code = p.getByLabel('Enter code');
    assert.equal(await code.getAttribute('autocomplete'), 'one-time-code');
    assert.equal(await code.getAttribute('inputmode'), 'numeric');
    assert.equal(await code.getAttribute('type'), 'text');
    assert.equal(await p.evaluate(() => document.activeElement?.getAttribute('autocomplete')), 'one-time-code', 'focus is in the code field');
    assert.equal(await p.getByRole('button', { name: 'Verify with something else' }).count(), 0, 'one option: no switch link');
    await axeClean(p, rec);
    await code.fill('123456');
    await p.getByRole('button', { name: 'Verify' }).click();

    await p.getByRole('heading', { name: 'Reset your password' }).waitFor();
    const pw = p.getByLabel('New password', { exact: true });
    assert.equal(await pw.getAttribute('autocomplete'), 'new-password');
    assert.equal(await pw.getAttribute('type'), 'password');
    assert.equal(await p.getByLabel('Re-enter password').getAttribute('autocomplete'), 'new-password');
    const rules = p.locator('.gh-rules li');
    assert.deepEqual(await rules.allTextContents(), ['At least 8 characters', 'A lowercase letter', 'An uppercase letter', 'A number', 'No part of your username', 'Does not contain your first name']);
    assert.ok((await pw.getAttribute('aria-describedby'))!.includes((await p.locator('.gh-rules').getAttribute('id'))!), 'the rules describe the field');
    await axeClean(p, rec);
    const met = () => p.locator('.gh-rules li.gh-met').allTextContents();
    await pw.pressSequentially('jane');
    assert.deepEqual(await met(), ['A lowercase letter', 'No part of your username']);
    await pw.fill('Jane.doe-1');
    assert.deepEqual(await met(), ['At least 8 characters', 'A lowercase letter', 'An uppercase letter', 'A number']);
    // The live region speaks once the user pauses, and says what is missing.
    await p.locator('.gh-sr-only[aria-live=polite]').filter({ hasText: 'Still needed: No part of your username, Does not contain your first name' }).waitFor();
    await p.getByRole('button', { name: 'Reset password' }).click();
    assert.equal(await pw.getAttribute('aria-invalid'), 'true', 'unmet rules stop the submit');
    assert.equal(calls.filter((c) => c.path === 'challenge/answer').length, 1);
    await pw.fill('Correct-Horse-9');
    await p.getByLabel('Re-enter password').fill('Correct-Horse-8');
    await p.getByRole('button', { name: 'Reset password' }).click();
    assert.match((await p.locator('.gh-field-error:not([hidden])').textContent())!, /do not match/);
    assert.equal(await p.evaluate(() => document.activeElement?.getAttribute('name')), 'credentials.passcode#confirm');
    await axeClean(p, rec);
    await p.getByLabel('Re-enter password').fill('Correct-Horse-9');
    await p.getByLabel('Sign me out of all other devices').check();
    await Promise.all([p.waitForURL(/\/cb\?/), p.getByRole('button', { name: 'Reset password' }).click()]);
    const url = new URL(p.url());
    assert.equal(url.searchParams.get('interaction_code'), 'IC123');
    assert.equal(url.searchParams.get('state'), 'st1');
    assert.deepEqual(calls.at(-1)!.body, { credentials: { passcode: 'Correct-Horse-9', revokeSessions: true }, stateHandle: '02SH' }, 'the confirmation is not sent');
    assert.deepEqual(rec.cspViolations, []);
  });
});

for (const on of ['credentials.passcode', 'credentials'] as const) {
  test(`a wrong code shows the server's message inside the code field (message on ${on})`, async (t) => {
    await withPage(browser, t, async (p) => {
      await setup(p, recoveryServer({ message: on }));
      await toEmailChallenge(p);
      await p.getByLabel('Enter code').fill('000000');
      await p.getByRole('button', { name: 'Verify' }).click();
      const code = p.getByLabel('Enter code');
      await p.locator('.gh-field-error').filter({ hasText: 'Invalid code. Try again.' }).waitFor();
      assert.equal(await code.getAttribute('aria-invalid'), 'true');
      const described = await code.getAttribute('aria-describedby');
      assert.equal(await p.locator(`[id="${described}"]`).textContent(), 'Invalid code. Try again.');
      assert.equal(await p.evaluate(() => document.activeElement?.getAttribute('name')), 'credentials.passcode');
      await axeClean(p);
    });
  });
}

test('an empty code is refused here, inside the field (the required object makes its field required)', async (t) => {
  await withPage(browser, t, async (p) => {
    const calls = await setup(p, recoveryServer());
    await toEmailChallenge(p);
    await p.getByRole('button', { name: 'Verify' }).click();
    assert.equal(await p.getByLabel('Enter code').getAttribute('aria-invalid'), 'true');
    assert.equal(calls.filter((c) => c.path === 'challenge/answer').length, 0);
  });
});

test('Send again posts the stateHandle, keeps the typed code and says politely that a mail was sent', async (t) => {
  await withPage(browser, t, async (p) => {
    const calls = await setup(p, recoveryServer({ refresh: 60_000 }));
    await toEmailChallenge(p);
    await p.getByLabel('Enter code').fill('12');
    await p.getByRole('button', { name: 'Send again' }).click();
    const status = p.locator('.gh-alert[role=status]');
    await status.filter({ hasText: 'We sent you a new email.' }).waitFor();
    assert.equal(await status.getAttribute('aria-live'), 'polite');
    assert.deepEqual(calls.find((c) => c.path === 'challenge/resend')!.body, { stateHandle: '02SH' });
    assert.equal(await p.getByLabel('Enter code').inputValue(), '12');
    await axeClean(p);
  });
});

test('polling: every refresh ms while the email view shows, then the next state when verified elsewhere', async (t) => {
  await withPage(browser, t, async (p) => {
    const calls = await setup(p, recoveryServer({ refresh: 300, pollAnswer: (n) => (n >= 4 ? { body: reset() } : undefined) }));
    await toEmailChallenge(p);
    await p.getByRole('heading', { name: 'Reset your password' }).waitFor();
    await p.getByLabel('New password', { exact: true }).waitFor();
    const polls = calls.filter((c) => c.path === 'challenge/poll');
    assert.equal(polls.length, 4);
    for (let i = 1; i < polls.length; i++) assert.ok(polls[i]!.at - polls[i - 1]!.at >= 250, 'the cadence is the refresh');
    assert.deepEqual(polls[0]!.body, { stateHandle: '02SH' });
    await p.waitForTimeout(900);
    assert.equal(calls.filter((c) => c.path === 'challenge/poll').length, 4, 'polling stops when the view changes');
  });
});

test('polling: a 429 waits a minute; a session expiry stops it and ends the sign-in', async (t) => {
  await withPage(browser, t, async (p) => {
    const tooMany = { status: 429, body: { ...emailChallenge(undefined, 200), messages: { type: 'array', value: [{ message: 'Too many requests', i18n: { key: 'tooManyRequests' }, class: 'ERROR' }] } } };
    const calls = await setup(p, recoveryServer({ refresh: 200, pollAnswer: () => tooMany }));
    await toEmailChallenge(p);
    await p.waitForTimeout(1200);
    assert.equal(calls.filter((c) => c.path === 'challenge/poll').length, 1, 'no second poll within the minute');
    assert.equal(await p.locator('.gh-alert:not([hidden])').count(), 0, 'a poll over the limit says nothing');
  });
  await withPage(browser, t, async (p) => {
    const expired = { status: 401, body: { version: '1.0.0', messages: { type: 'array', value: [{ message: 'expired', i18n: { key: 'idx.session.expired' }, class: 'ERROR' }] } } };
    await setup(p, recoveryServer({ refresh: 200, pollAnswer: () => expired }));
    await toEmailChallenge(p);
    await p.waitForURL(/\/cb\?/);
    assert.equal(new URL(p.url()).searchParams.get('error'), 'access_denied');
  });
});

test('polling pauses while a code is being submitted', async (t) => {
  await withPage(browser, t, async (p) => {
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    const server = recoveryServer({ refresh: 200 });
    const calls = await setup(p, server);
    await toEmailChallenge(p);
    await p.context().route(`${ID}/idp/idx/challenge/answer`, async (route) => { await gate; await route.fallback(); });
    await p.getByLabel('Enter code').fill('123456');
    await p.getByRole('button', { name: 'Verify' }).click();
    const before = calls.filter((c) => c.path === 'challenge/poll').length;
    await p.waitForTimeout(800);
    assert.equal(calls.filter((c) => c.path === 'challenge/poll').length, before, 'no poll while the answer is in flight');
    release();
    await p.getByLabel('New password', { exact: true }).waitFor();
  });
});

test('Verify with something else shows the choices when there are two; Back returns to the code', async (t) => {
  await withPage(browser, t, async (p) => {
    await setup(p, (path) => (path === 'introspect' ? { body: emailChallenge([emailOption, otherOption], 60_000) } : undefined));
    await p.goto(APP + '/');
    await p.getByRole('button', { name: 'Verify with something else' }).click();
    await p.getByRole('radio', { name: 'Authenticator app' }).waitFor();
    await axeClean(p);
    await p.getByRole('button', { name: 'Back' }).click();
    await p.getByLabel('Enter code').waitFor();
  });
});

test('a field message the widget cannot place is shown on the form; a policy message shows in the new password field', async (t) => {
  await withPage(browser, t, async (p) => {
    await setup(p, (path) => {
      if (path === 'introspect') return { body: reset() };
      const body = JSON.parse(JSON.stringify(reset('Password requirements were not met.')));
      body.remediation.value[0].value[1].messages = { type: 'array', value: [{ message: 'Odd state.', class: 'ERROR' }] };
      return { status: 400, body };
    });
    await p.goto(APP + '/');
    await p.getByLabel('New password', { exact: true }).fill('Abcdefg-1x');
    await p.getByLabel('Re-enter password').fill('Abcdefg-1x');
    await p.getByRole('button', { name: 'Reset password' }).click();
    await p.locator('.gh-field-error').filter({ hasText: 'Password requirements were not met.' }).waitFor();
    await p.locator('.gh-alert[role=alert]').filter({ hasText: 'Odd state.' }).waitFor();
    assert.equal(await p.evaluate(() => document.activeElement?.getAttribute('name')), 'credentials.passcode');
    await axeClean(p);
  });
});

test('French: recovery views speak the configured language, server labels translated', async (t) => {
  await withPage(browser, t, async (p) => {
    await setup(p, recoveryServer({ refresh: 60_000 }), { language: 'fr' });
    await p.goto(APP + '/');
    await p.getByRole('button', { name: 'Mot de passe oublié ?' }).click();
    await p.getByRole('heading', { name: 'Réinitialisez votre mot de passe' }).waitFor();
    await p.getByLabel("Nom d'utilisateur").fill('jane@example.com');
    await p.getByRole('button', { name: 'Suivant' }).click();
    await p.getByRole('button', { name: 'M’envoyer un e-mail' }).click();
    await p.getByLabel('Saisissez le code').waitFor();
    await p.getByRole('button', { name: 'Renvoyer' }).waitFor();
  });
});
