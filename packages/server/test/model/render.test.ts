// renderIdxResponse is a pure function from transaction state to IDX JSON; golden files pin the wire shape,
// so a change to what clients see shows up as a diff in review. UPDATE_GOLDEN=1 rewrites them; without it a
// missing golden file is a failure, never a silent first write (CI must catch a file that was not committed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { renderIdxResponse, renderTerminal } from '../../src/idx/render.js';
import { authenticationFailed, sessionExpired } from '../../src/idx/messages.js';
import type { App, Transaction } from '../../src/store/interfaces.js';

const fixtures = new URL('../fixtures/idx/', import.meta.url);

const app = (signIn: App['signIn']): App => ({
  clientId: '0oaTESTCLIENT', name: 'Sample App', type: 'web', secretHash: null, redirectUris: ['https://app.example.com/cb'],
  postLogoutRedirectUris: [], grantTypes: ['interaction_code'], authMethod: 'client_secret_basic', signIn, jwks: null, frameAncestors: [], pkceRequired: true, emailVerifyUri: null, assurance: 'any-1', rememberDeviceMinutes: 0, createdAt: 0,
});

const tx = (over: Partial<Transaction> = {}): Transaction => ({
  id: 'itx1', stateHandleHash: 'h', interactionHandleHash: 'i', clientId: '0oaTESTCLIENT', authServerId: 'default',
  redirectUri: 'https://app.example.com/cb', scopes: ['openid'], state: 'st', nonce: 'n', codeChallenge: 'c', kind: 'interact',
  loginHint: null, identifier: null, step: 'identify', context: {}, userId: null, amr: [], authTime: null, rememberMe: false, version: 1, createdAt: 0,
  expiresAt: Date.UTC(2026, 10, 24, 12, 30, 53), ...over,
});

const ctx = (signIn: App['signIn']) => ({ baseUrl: 'https://id.example.com', stateHandle: '02STATEHANDLE', app: app(signIn), tokenEndpoint: 'https://id.example.com/oauth2/default/v1/token',
  issuer: 'https://id.example.com/oauth2/default', policy: { lockout: { maxAttempts: 10, durationSeconds: 900 }, password: { minLength: 8, excludeUsername: true } },
  mailEnabled: false });

function golden(name: string, value: unknown) {
  const file = new URL(`${name}.json`, fixtures);
  const text = JSON.stringify(value, null, 2) + '\n';
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, text);
  assert.ok(existsSync(file), `${name}.json is missing: run the test with UPDATE_GOLDEN=1 and commit the file`);
  assert.equal(text, readFileSync(file, 'utf8'), `${name}.json differs: the IDX wire shape changed`);
}

test('identify, password on the first screen', () => golden('identify.password-first', renderIdxResponse(tx(), ctx('password-first'))));
test('identify, identifier first', () => golden('identify.identifier-first', renderIdxResponse(tx(), ctx('identifier-first'))));
test('identify with a wrong password keeps the form and adds errors.E0000004', () =>
  golden('identify.authentication-failed', renderIdxResponse(tx(), { ...ctx('password-first'), messages: [authenticationFailed()] })));
test('identify with a blank identifier puts the message inside the field', () =>
  golden('identify.blank-identifier', renderIdxResponse(tx(), { ...ctx('password-first'), fieldMessages: { identifier: [{ message: 'This field cannot be left blank', i18n: { key: 'model.validation.field.blank' }, class: 'ERROR' }] } })));
test('challenge-authenticator for the password relates to the password enrollment', () =>
  golden('challenge-password.default', renderIdxResponse(tx({ step: 'challenge', context: { current: 'okta_password' }, identifier: 'jane@example.com' }), ctx('identifier-first'))));
test('success carries successWithInteractionCode and no remediation', () =>
  golden('success.interaction-code', renderIdxResponse(tx({ step: 'success' }), { ...ctx('password-first'), code: 'CODE', user: { id: '00uUSER', login: 'jane@example.com' } as any })));
test('hosted sign-in success redirects to the client with an authorization code', () =>
  golden('success.hosted', renderIdxResponse(tx({ step: 'success', kind: 'authorize' }), { ...ctx('password-first'), code: 'CODE' })));
test('session expired is terminal: messages only', () => golden('terminal.session-expired', renderTerminal([sessionExpired()])));

test('clients act on remediation.value[0]: identify comes first', () => {
  assert.equal(renderIdxResponse(tx(), ctx('password-first')).remediation!.value[0]!.name, 'identify');
});
