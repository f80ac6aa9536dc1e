// How server answers become GatehouseErrors: IDX (non-2xx JSON with `version`), OAuth (JSON `error` or a
// bearer challenge), and the rest.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GatehouseError, errorFromResponse } from '../src/index.js';

const failed = { message: 'Authentication failed', i18n: { key: 'errors.E0000004' }, class: 'ERROR' as const };

test('a non-2xx answer with version is IDX_ERROR with its messages, global then per field', () => {
  const fieldMsg = { message: 'This field cannot be left blank', i18n: { key: 'model.validation.field.blank' }, class: 'ERROR' as const };
  const body = {
    version: '1.0.0', stateHandle: 's', messages: { type: 'array', value: [failed] },
    remediation: { type: 'array', value: [{ name: 'identify', value: [{ name: 'credentials', form: { value: [{ name: 'passcode', messages: { type: 'array', value: [fieldMsg] } }] } }] }] },
  };
  const e = errorFromResponse({ status: 401, body }, 'idx');
  assert.ok(e instanceof GatehouseError);
  assert.equal(e.code, 'IDX_ERROR');
  assert.equal(e.status, 401);
  assert.deepEqual(e.messages, [failed, fieldMsg]);
});

test('JSON with error is OAUTH_ERROR with error and error_description unchanged, whatever the area', () => {
  for (const area of ['oauth', 'idx'] as const) {
    const e = errorFromResponse({ status: 400, body: { error: 'invalid_grant', error_description: 'The interaction code is invalid or expired.' } }, area);
    assert.equal(e.code, 'OAUTH_ERROR');
    assert.equal(e.error, 'invalid_grant');
    assert.equal(e.error_description, 'The interaction code is invalid or expired.');
    assert.equal(e.status, 400);
  }
});

test('a bearer 401 with only a WWW-Authenticate challenge is OAUTH_ERROR from the challenge', () => {
  const e = errorFromResponse({ status: 401, body: undefined, wwwAuthenticate: 'Bearer error="invalid_token", error_description="The access token is invalid."' }, 'oauth');
  assert.equal(e.code, 'OAUTH_ERROR');
  assert.equal(e.error, 'invalid_token');
  assert.equal(e.error_description, 'The access token is invalid.');
});

test('anything else is IDX_ERROR on IDX routes (Okta API error object) and OAUTH_ERROR server_error elsewhere', () => {
  const api = errorFromResponse({ status: 415, body: { errorCode: 'E0000003', errorSummary: 'The request body was not well-formed.' } }, 'idx');
  assert.equal(api.code, 'IDX_ERROR');
  assert.deepEqual(api.messages, []);
  assert.match(api.message, /not well-formed/);
  const html = errorFromResponse({ status: 502, body: '<html>Bad Gateway</html>' }, 'oauth');
  assert.equal(html.code, 'OAUTH_ERROR');
  assert.equal(html.error, 'server_error');
  assert.equal(html.status, 502);
});

test('callers can switch on the code', () => {
  const describe = (e: GatehouseError) => {
    switch (e.code) {
      case 'IDX_ERROR': return e.messages?.[0]?.i18n?.key;
      case 'OAUTH_ERROR': return e.error;
      case 'NETWORK_ERROR': case 'TOKEN_INVALID': case 'STATE_MISMATCH': case 'CONFIG_ERROR': return e.code;
    }
  };
  assert.equal(describe(errorFromResponse({ status: 401, body: { version: '1.0.0', messages: { type: 'array', value: [failed] } } }, 'idx')), 'errors.E0000004');
  assert.equal(describe(new GatehouseError('NETWORK_ERROR', 'x', { cause: new Error('ECONNREFUSED') })), 'NETWORK_ERROR');
});
