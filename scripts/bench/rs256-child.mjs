// The RS256 signing limit on the core this process is pinned to: the server's own jose SignJWT, as Gatehouse
// signs (a node:crypto KeyObject; jose 6 signs through WebCrypto, on libuv's thread pool) with 16 signatures in
// flight, and node:crypto's synchronous sign on the main thread, for reference. 2048-bit keys, token-sized payloads.
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { createRequire } from 'node:module';

const { SignJWT } = await import(createRequire(new URL('../../packages/server/package.json', import.meta.url)).resolve('jose'));

const { seconds } = JSON.parse(process.argv[2]);
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const claims = { ver: 1, jti: 'AT.' + randomBytes(16).toString('base64url'), iss: 'http://127.0.0.1/oauth2/default', aud: 'api://default', cid: 'bench', scp: ['openid'], sub: 'bench' };

let n = 0;
let end = Date.now() + seconds * 1000;
let t0 = process.hrtime.bigint();
await Promise.all(Array.from({ length: 16 }, async () => {
  while (Date.now() < end) {
    await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'k', typ: 'JWT' }).setIssuedAt().setExpirationTime('1h').sign(privateKey);
    n++;
  }
}));
const jose = n / (Number(process.hrtime.bigint() - t0) / 1e9);

const data = Buffer.from('eyJhbGciOiJSUzI1NiJ9.' + randomBytes(300).toString('base64url'));
n = 0;
end = Date.now() + Math.max(1, seconds / 2) * 1000;
t0 = process.hrtime.bigint();
while (Date.now() < end) { sign('sha256', data, privateKey); n++; }
const raw = n / (Number(process.hrtime.bigint() - t0) / 1e9);
process.send({ jose, raw });
