// A software WebAuthn authenticator for the MFA bench: a P-256 key held by the bench, with the bytes a platform
// authenticator would produce, built with node:crypto — a 'none' attestation (CBOR attestation object, COSE
// public key) to register, and assertions (authenticatorData, clientDataJSON, an ECDSA/SHA-256 DER signature over
// authenticatorData ‖ SHA-256(clientDataJSON)) to sign in. The server verifies both with @simplewebauthn/server.
import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';

const sha256 = (b) => createHash('sha256').update(b).digest();
const u32 = (n) => { const b = Buffer.alloc(4); b.writeUInt32BE(n); return b; };
// Minimal CBOR (RFC 8949): the types a 'none' attestation object and a COSE EC2 key need.
const head = (major, n) => n < 24 ? Buffer.from([(major << 5) | n]) : n < 256 ? Buffer.from([(major << 5) | 24, n]) : Buffer.from([(major << 5) | 25, n >> 8, n & 255]);
const cbor = {
  int: (n) => (n >= 0 ? head(0, n) : head(1, -1 - n)),
  bytes: (b) => Buffer.concat([head(2, b.length), b]),
  text: (s) => Buffer.concat([head(3, Buffer.byteLength(s)), Buffer.from(s)]),
  map: (pairs) => Buffer.concat([head(5, pairs.length), ...pairs.flat()]),
};

export function softAuthenticator(origin, rpId) {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = publicKey.export({ format: 'jwk' });
  const credentialId = randomBytes(16);
  const cose = cbor.map([[cbor.int(1), cbor.int(2)], [cbor.int(3), cbor.int(-7)], [cbor.int(-1), cbor.int(1)],
    [cbor.int(-2), cbor.bytes(Buffer.from(jwk.x, 'base64url'))], [cbor.int(-3), cbor.bytes(Buffer.from(jwk.y, 'base64url'))]]);
  const rpIdHash = sha256(Buffer.from(rpId));
  let counter = 0;
  const clientData = (type, challenge) => Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
  return {
    /** navigator.credentials.create(): what the widget posts to enroll-authenticator (standard base64). */
    create(challenge) {
      const authData = Buffer.concat([rpIdHash, Buffer.from([0x45]) /* UP UV AT */, u32(counter), Buffer.alloc(16) /* AAGUID */,
        Buffer.from([0, credentialId.length]), credentialId, cose]);
      const attestation = cbor.map([[cbor.text('fmt'), cbor.text('none')], [cbor.text('attStmt'), cbor.map([])], [cbor.text('authData'), cbor.bytes(authData)]]);
      return { clientData: clientData('webauthn.create', challenge).toString('base64'), attestation: attestation.toString('base64'), transports: JSON.stringify(['internal']) };
    },
    /** navigator.credentials.get(): the signature counter goes up by one each time, as a security key's does. */
    get(challenge) {
      const authData = Buffer.concat([rpIdHash, Buffer.from([0x05]) /* UP UV */, u32(++counter)]);
      const cd = clientData('webauthn.get', challenge);
      const signature = sign('sha256', Buffer.concat([authData, sha256(cd)]), privateKey);
      return { clientData: cd.toString('base64'), authenticatorData: authData.toString('base64'), signatureData: signature.toString('base64') };
    },
  };
}
