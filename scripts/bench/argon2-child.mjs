// Bare argon2id verification rate with the server's parameters and concurrency, in its own process.
import { hash, verify, Algorithm } from '@node-rs/argon2';
const { argon2, concurrency, seconds } = JSON.parse(process.argv[2]);
const h = await hash('bench-password-123', { algorithm: Algorithm.Argon2id, ...argon2 });
let n = 0;
const end = Date.now() + seconds * 1000;
const t0 = process.hrtime.bigint();
await Promise.all(Array.from({ length: concurrency }, async () => {
  while (Date.now() < end) { await verify(h, 'bench-password-123'); n++; }
}));
const s = Number(process.hrtime.bigint() - t0) / 1e9;
process.send({ rate: n / s, msPerHash: (s * 1000 * concurrency) / n });
