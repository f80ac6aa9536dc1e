// PKCE and the random values of a sign-in context (RFC 7636).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPkce, randomToken, s256Challenge } from '../src/index.js';

test('S256 of the RFC 7636 appendix B verifier is the appendix B challenge', () => {
  assert.equal(s256Challenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'), 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
});

test('a fresh verifier carries 256 bits (43 base64url characters) and its challenge is its S256', () => {
  const { codeVerifier, codeChallenge } = createPkce();
  assert.match(codeVerifier, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(codeChallenge, s256Challenge(codeVerifier));
  assert.notEqual(createPkce().codeVerifier, codeVerifier);
});

test('state and nonce values carry at least 128 bits and do not repeat', () => {
  const values = new Set(Array.from({ length: 100 }, randomToken));
  assert.equal(values.size, 100);
  for (const v of values) assert.ok(Buffer.from(v, 'base64url').length * 8 >= 128);
});
