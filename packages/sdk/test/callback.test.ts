// The redirect callback: state bound to the sign-in, error carried through unchanged, no redeem attempted
// unless both hold (the checks run before any network call).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GatehouseError, IdxClient, checkCallback } from '../src/index.js';

const offline = () => new IdxClient({
  issuer: 'https://id.example.com/oauth2/default', clientId: 'c', redirectUri: 'https://app.example.com/cb', scopes: ['openid'],
  fetch: () => { throw new Error('the callback checks must fail before any request'); },
});
const hasCode = (code: GatehouseError['code']) => (e: unknown) => e instanceof GatehouseError && e.code === code;

test('a callback whose state differs from the sign-in is STATE_MISMATCH, before any request', async () => {
  const idx = offline();
  const { context } = idx.startInteraction();
  const forged = context.state.slice(0, -1) + (context.state.endsWith('A') ? 'B' : 'A'); // same length, one character off
  await assert.rejects(idx.handleCallback(context, { state: forged, interaction_code: 'code' }), hasCode('STATE_MISMATCH'));
  await assert.rejects(idx.handleCallback(context, { state: 'short', interaction_code: 'code' }), hasCode('STATE_MISMATCH'));
  await assert.rejects(idx.handleCallback(context, { interaction_code: 'code' }), hasCode('STATE_MISMATCH'));
  await assert.rejects(idx.handleCallback(undefined, { state: context.state, interaction_code: 'code' }), hasCode('STATE_MISMATCH'));
});

test('a callback with error is OAUTH_ERROR carrying error and error_description unchanged', () => {
  const { context } = offline().startInteraction();
  assert.throws(() => checkCallback(context, { state: context.state, error: 'access_denied', error_description: '<script>x</script>' }),
    (e: unknown) => hasCode('OAUTH_ERROR')(e) && (e as GatehouseError).error === 'access_denied' && (e as GatehouseError).error_description === '<script>x</script>');
});

test('a callback with the right state but no interaction code is OAUTH_ERROR invalid_request', () => {
  const { context } = offline().startInteraction();
  assert.throws(() => checkCallback(context, { state: context.state }), (e: unknown) => hasCode('OAUTH_ERROR')(e) && (e as GatehouseError).error === 'invalid_request');
  assert.equal(checkCallback(context, { state: context.state, interaction_code: 'abc' }), 'abc');
});
