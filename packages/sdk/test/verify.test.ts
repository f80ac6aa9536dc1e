// Token verification with keys of our own (no server): the allow-list refuses everything but an RS256
// token from the issuer's keys, for this audience, in time, with this sign-in's nonce.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { GatehouseError, verifyJwt } from '../src/index.js';

const issuer = 'https://id.example.com/oauth2/default';
const expected = { issuer, audience: 'client-1', nonce: 'n-1', clockToleranceSeconds: 60 };
let keys: JWTVerifyGetKey;
let sign: (claims: JWTPayload, opts?: { alg?: string; key?: CryptoKey | Uint8Array; kid?: string }) => Promise<string>;
let otherKey: CryptoKey;

before(async () => {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  otherKey = (await generateKeyPair('RS256')).privateKey;
  keys = createLocalJWKSet({ keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }] });
  const now = () => Math.floor(Date.now() / 1000);
  sign = (claims, o = {}) => new SignJWT({ iss: issuer, aud: 'client-1', sub: 'u1', nonce: 'n-1', iat: now(), exp: now() + 300, ...claims })
    .setProtectedHeader({ alg: o.alg ?? 'RS256', kid: o.kid ?? 'k1' }).sign(o.key ?? privateKey);
});

const invalid = (e: unknown) => e instanceof GatehouseError && e.code === 'TOKEN_INVALID';

test('an RS256 token from the issuer for this client with the sign-in nonce verifies', async () => {
  const claims = await verifyJwt(await sign({}), keys, expected);
  assert.equal(claims.sub, 'u1');
});

test('a wrong nonce, a missing nonce, a wrong audience and a wrong issuer are TOKEN_INVALID', async () => {
  await assert.rejects(verifyJwt(await sign({ nonce: 'other' }), keys, expected), invalid);
  await assert.rejects(verifyJwt(await sign({ nonce: undefined }), keys, expected), invalid);
  await assert.rejects(verifyJwt(await sign({ aud: 'client-2' }), keys, expected), invalid);
  await assert.rejects(verifyJwt(await sign({ iss: 'https://evil.example.com/oauth2/default' }), keys, expected), invalid);
});

test('an expired token is TOKEN_INVALID beyond the clock tolerance', async () => {
  const now = Math.floor(Date.now() / 1000);
  await assert.rejects(verifyJwt(await sign({ iat: now - 3600, exp: now - 120 }), keys, expected), invalid);
  await verifyJwt(await sign({ iat: now - 3600, exp: now - 30 }), keys, expected); // within 60 s
});

test('a token signed by another key under the issuer kid is TOKEN_INVALID', async () => {
  await assert.rejects(verifyJwt(await sign({}, { key: otherKey }), keys, expected), invalid);
});

test('alg none and HS256 are refused: only RS256 is allowed', async () => {
  const good = await sign({});
  const [, payload] = good.split('.');
  const none = `${Buffer.from(JSON.stringify({ alg: 'none', kid: 'k1' })).toString('base64url')}.${payload}.`;
  await assert.rejects(verifyJwt(none, keys, expected), invalid);
  const hs = await sign({}, { alg: 'HS256', key: new TextEncoder().encode('a-shared-secret-of-at-least-32-bytes!!') });
  await assert.rejects(verifyJwt(hs, keys, expected), invalid);
});

test('a token with a tampered payload or garbage is TOKEN_INVALID', async () => {
  const [h, , s] = (await sign({})).split('.');
  const tampered = `${h}.${Buffer.from(JSON.stringify({ iss: issuer, aud: 'client-1', sub: 'admin', nonce: 'n-1', iat: 1, exp: 9_999_999_999 })).toString('base64url')}.${s}`;
  await assert.rejects(verifyJwt(tampered, keys, expected), invalid);
  await assert.rejects(verifyJwt('not-a-jwt', keys, expected), invalid);
});
