// SDK pieces that need no server: PKCE, URL derivation, form filling.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { challengeOf, createPkce, urlsFor } from '../src/index.js';
import { fillForm } from '../src/headless.js';

test('PKCE S256 matches the RFC 7636 appendix B vector', () => {
  assert.equal(challengeOf('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'), 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  const p = createPkce();
  assert.equal(p.codeVerifier.length, 43);
  assert.equal(challengeOf(p.codeVerifier), p.codeChallenge);
});

test('URLs are derived as Okta clients derive them, for custom and org issuers', () => {
  assert.deepEqual(urlsFor('https://id.example.com/oauth2/default'), {
    issuer: 'https://id.example.com/oauth2/default', domain: 'https://id.example.com', oauthBase: 'https://id.example.com/oauth2/default/v1',
    discovery: 'https://id.example.com/oauth2/default/.well-known/openid-configuration',
  });
  assert.equal(urlsFor('https://id.example.com').oauthBase, 'https://id.example.com/oauth2/v1');
  assert.equal(urlsFor('http://localhost:8080/oauth2/default').domain, 'http://localhost:8080');
});

test('forms are filled generically: nested credentials, immutable fields echoed, missing required reported', () => {
  const fields = [
    { name: 'identifier', required: true },
    { name: 'credentials', type: 'object' as const, required: true, form: { value: [{ name: 'passcode', secret: true }] } },
    { name: 'stateHandle', required: true, value: 'SH', visible: false, mutable: false },
  ];
  assert.deepEqual(fillForm(fields, { identifier: 'a', 'credentials.passcode': 'p' }), { body: { identifier: 'a', credentials: { passcode: 'p' }, stateHandle: 'SH' }, missing: [] });
  assert.deepEqual(fillForm(fields, { identifier: 'a' }).missing, ['credentials.passcode']);
});
