// Configuration and URL derivation, as Okta's clients derive URLs from the issuer (spec §3.1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GatehouseError, IdxClient, endpointsFor } from '../src/index.js';

const isConfigError = (e: unknown) => e instanceof GatehouseError && e.code === 'CONFIG_ERROR';
const redirectUri = 'https://app.example.com/interactioncode/callback';

test('a custom authorization server keeps OAuth under {issuer}/v1 and IDX under the domain', () => {
  assert.deepEqual(endpointsFor('https://id.example.com/oauth2/default'), {
    issuer: 'https://id.example.com/oauth2/default',
    domain: 'https://id.example.com',
    discovery: 'https://id.example.com/oauth2/default/.well-known/openid-configuration',
    interact: 'https://id.example.com/oauth2/default/v1/interact',
    token: 'https://id.example.com/oauth2/default/v1/token',
    userinfo: 'https://id.example.com/oauth2/default/v1/userinfo',
    revoke: 'https://id.example.com/oauth2/default/v1/revoke',
    logout: 'https://id.example.com/oauth2/default/v1/logout',
    keys: 'https://id.example.com/oauth2/default/v1/keys',
    introspect: 'https://id.example.com/idp/idx/introspect',
  });
});

test('the org authorization server has OAuth under {issuer}/oauth2/v1 and discovery at the domain root', () => {
  const e = endpointsFor('https://id.example.com/');
  assert.equal(e.issuer, 'https://id.example.com');
  assert.equal(e.domain, 'https://id.example.com');
  assert.equal(e.token, 'https://id.example.com/oauth2/v1/token');
  assert.equal(e.interact, 'https://id.example.com/oauth2/v1/interact');
  assert.equal(e.discovery, 'https://id.example.com/.well-known/openid-configuration');
  assert.equal(e.introspect, 'https://id.example.com/idp/idx/introspect');
});

test('an issuer under a path prefix keeps the prefix in the domain', () => {
  const e = endpointsFor('https://example.com/auth/oauth2/aus123');
  assert.equal(e.domain, 'https://example.com/auth');
  assert.equal(e.userinfo, 'https://example.com/auth/oauth2/aus123/v1/userinfo');
});

test('plain http is refused for any host but localhost, which is allowed for development', () => {
  assert.throws(() => endpointsFor('http://id.example.com/oauth2/default'), isConfigError);
  assert.throws(() => endpointsFor('not a url'), isConfigError);
  assert.throws(() => endpointsFor('https://id.example.com/oauth2/default?x=1'), isConfigError);
  assert.equal(endpointsFor('http://localhost:8080/oauth2/default').domain, 'http://localhost:8080');
  assert.equal(endpointsFor('http://127.0.0.1:8080').token, 'http://127.0.0.1:8080/oauth2/v1/token');
});

test('the client refuses options it cannot work with: no clientId, no openid scope, a bad redirect URI', () => {
  const issuer = 'https://id.example.com/oauth2/default';
  assert.throws(() => new IdxClient({ issuer, clientId: '', redirectUri, scopes: ['openid'] }), isConfigError);
  assert.throws(() => new IdxClient({ issuer, clientId: 'c', redirectUri, scopes: ['profile'] }), isConfigError);
  assert.throws(() => new IdxClient({ issuer, clientId: 'c', redirectUri: '/callback', scopes: ['openid'] }), isConfigError);
});

test('startInteraction gives the widget the challenge and state, never the verifier, without a network call', () => {
  const idx = new IdxClient({ issuer: 'https://id.example.com/oauth2/default', clientId: 'c', redirectUri, scopes: ['openid', 'email'],
    fetch: () => { throw new Error('no network expected'); } });
  const { context, widgetConfig } = idx.startInteraction();
  assert.deepEqual(widgetConfig, {
    issuer: 'https://id.example.com/oauth2/default', clientId: 'c', redirectUri, scopes: ['openid', 'email'],
    state: context.state, nonce: context.nonce, codeChallenge: context.codeChallenge, codeChallengeMethod: 'S256',
  });
  assert.ok(!JSON.stringify(widgetConfig).includes(context.codeVerifier));
  assert.notEqual(context.state, context.nonce);
});

test('the logout URL carries id_token_hint, post_logout_redirect_uri and state', () => {
  const idx = new IdxClient({ issuer: 'https://id.example.com/oauth2/default', clientId: 'c', redirectUri, scopes: ['openid'] });
  const url = new URL(idx.logoutUrl({ idToken: 'a.b.c', postLogoutRedirectUri: 'https://app.example.com/', state: 's&1' }));
  assert.equal(url.origin + url.pathname, 'https://id.example.com/oauth2/default/v1/logout');
  assert.deepEqual(Object.fromEntries(url.searchParams), { id_token_hint: 'a.b.c', post_logout_redirect_uri: 'https://app.example.com/', state: 's&1' });
});
