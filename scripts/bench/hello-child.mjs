// Bare node:http hello world: the reference for JWKS and discovery throughput.
import { createServer } from 'node:http';
const body = Buffer.from('{"hello":"world"}');
const server = createServer((req, res) => { res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': body.length }); res.end(body); });
server.listen(0, '127.0.0.1', () => process.send({ ready: true, baseUrl: `http://127.0.0.1:${server.address().port}` }));
process.on('message', (m) => { if (m === 'stop') server.close(() => process.exit(0)); });
process.on('disconnect', () => process.exit(0)); // the bench died: do not outlive it
