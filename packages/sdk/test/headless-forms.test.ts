// Headless sign-in fills IDX forms generically from field paths (no per-remediation wiring).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IdxField, IdxForm, IdxResponse } from '@gatehouse/protocol';
import { describeStep, fillForm } from '../src/index.js';

const identify: IdxField[] = [
  { name: 'identifier', label: 'Username', required: true },
  { name: 'credentials', type: 'object', required: true, form: { value: [{ name: 'passcode', label: 'Password', secret: true, required: true }] } },
  { name: 'rememberMe', type: 'boolean', label: 'Remember this device' },
  { name: 'stateHandle', required: true, value: 'SH', visible: false, mutable: false },
];

test('nested forms become nested JSON and immutable fields are echoed', () => {
  assert.deepEqual(fillForm(identify, { identifier: 'ada@example.com', 'credentials.passcode': 'pw' }), {
    body: { identifier: 'ada@example.com', credentials: { passcode: 'pw' }, stateHandle: 'SH' }, missing: [],
  });
});

test('required fields without a value are reported by path', () => {
  assert.deepEqual(fillForm(identify, { identifier: 'ada@example.com' }).missing, ['credentials.passcode']);
  assert.deepEqual(fillForm(identify, {}).missing, ['identifier', 'credentials.passcode']);
});

test('a value the server filled in is sent back when the caller gives none', () => {
  const fields: IdxField[] = [{ name: 'identifier', required: true, value: 'ada@example.com' }, { name: 'stateHandle', value: 'SH', mutable: false }];
  assert.deepEqual(fillForm(fields, {}).body, { identifier: 'ada@example.com', stateHandle: 'SH' });
});

test('the next step lists visible mutable inputs by path, with the form and field messages', () => {
  const err = { message: 'Authentication failed', i18n: { key: 'errors.E0000004' }, class: 'ERROR' as const };
  const form: IdxForm = { rel: ['create-form'], name: 'identify', href: 'https://id.example.com/idp/idx/identify', method: 'POST', value: identify };
  const response: IdxResponse = { version: '1.0.0', stateHandle: 'SH', messages: { type: 'array', value: [err] }, remediation: { type: 'array', value: [form] } };
  assert.deepEqual(describeStep(form, response), {
    name: 'identify',
    inputs: [
      { name: 'identifier', label: 'Username', type: 'string', required: true, secret: false },
      { name: 'credentials.passcode', label: 'Password', type: 'string', required: true, secret: true },
      { name: 'rememberMe', label: 'Remember this device', type: 'boolean', required: false, secret: false },
    ],
    messages: [err],
  });
});
