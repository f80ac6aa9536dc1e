// WebAuthn and passkeys (`webauthn`) through @simplewebauthn/server. The ceremony data is built in the shape the
// Okta clients expect (spec §6): base64url `challenge` and `user.id` in `activationData`, `challengeData` for an
// assertion; what they post is standard base64 (btoa) with JSON-string `transports`, and an assertion names no
// credential, so every credential of the user is tried (or the one its userHandle names). RP ID from the base
// URL (or GATEHOUSE_WEBAUTHN_RP_ID for a parent domain); user verification preferred; the signature counter and
// the backup flags are stored, and a counter that goes back (a cloned authenticator) is refused.
import { randomBytes } from 'node:crypto';
import { verifyAuthenticationResponse, verifyRegistrationResponse } from '@simplewebauthn/server';
import { decodeAttestationObject, parseAuthenticatorData } from '@simplewebauthn/server/helpers';
import type { IdxAuthenticator } from '@gatehouse/protocol';
import type { Enrollment, User } from '../../store/interfaces.js';
import type { Authenticator } from './authenticator.js';
import { describe } from './authenticator.js';

export const webauthn: Authenticator = {
  key: 'webauthn', type: 'security_key', id: 'autWEBAUTHN00000000', displayName: 'Security Key or Biometric', methods: ['webauthn'], amr: ['hwk'],
};

export interface CredentialConfig {
  credentialId: string; // base64url
  publicKey: string; // base64url COSE key
  transports: string[];
  name: string;
  backedUp: boolean;
  deviceType: string;
}

export const newChallenge = () => randomBytes(32).toString('base64url');
const b64url = (s: string) => Buffer.from(s, 'base64').toString('base64url'); // accepts standard base64 and base64url
const userHandle = (user: User) => Buffer.from(user.id, 'utf8').toString('base64url');

export interface Ceremony {
  rpId: string;
  rpName: string;
  /** Page origins a ceremony may come from: Gatehouse's own and the org's trusted origins. */
  origins: string[];
}

/** `activationData` (spec §6.1): what navigator.credentials.create needs, excluding what is already enrolled. */
export function activationData(c: Ceremony, user: User, challenge: string, existing: Enrollment[]) {
  return {
    rp: { name: c.rpName, id: c.rpId },
    user: { id: userHandle(user), name: user.login, displayName: [user.firstName, user.lastName].filter(Boolean).join(' ') || user.login },
    challenge,
    pubKeyCredParams: [{ type: 'public-key', alg: -7 }, { type: 'public-key', alg: -257 }, { type: 'public-key', alg: -8 }],
    attestation: 'none',
    authenticatorSelection: { userVerification: 'preferred', residentKey: 'preferred', requireResidentKey: false },
    excludeCredentials: existing.map((e) => ({ type: 'public-key', id: (e.config as unknown as CredentialConfig).credentialId })),
    timeout: 120_000,
  };
}

/** `challengeData` (spec §6.3). */
export const challengeData = (c: Ceremony, challenge: string) => ({ challenge, rpId: c.rpId, userVerification: 'preferred', timeout: 120_000 });

/** The user's credentials as IDX enrollment objects: clients build allowCredentials / excludeCredentials from them. */
export function credentialObjects(enrollments: Enrollment[]): IdxAuthenticator[] {
  return enrollments.map((e) => {
    const cfg = e.config as unknown as CredentialConfig;
    return { ...describe(webauthn), id: e.id, displayName: cfg.name, credentialId: cfg.credentialId, transports: cfg.transports } as IdxAuthenticator;
  });
}

export interface Attestation { clientData: string; attestation: string; transports?: string | string[] | null }

/** Verifies a registration; the new credential's config and counter, or null when refused. */
export async function verifyAttestation(c: Ceremony, challenge: string, a: Attestation, name: string): Promise<{ config: CredentialConfig; counter: number } | null> {
  try {
    const attestationObject = b64url(a.attestation);
    const authData = decodeAttestationObject(Buffer.from(attestationObject, 'base64url')).get('authData');
    const credentialId = Buffer.from(parseAuthenticatorData(authData).credentialID!).toString('base64url');
    const transports = typeof a.transports === 'string' ? JSON.parse(a.transports) : a.transports ?? [];
    const out = await verifyRegistrationResponse({
      response: { id: credentialId, rawId: credentialId, type: 'public-key', clientExtensionResults: {}, response: { clientDataJSON: b64url(a.clientData), attestationObject, transports } },
      expectedChallenge: challenge, expectedOrigin: c.origins, expectedRPID: c.rpId, requireUserVerification: false,
    });
    if (!out.verified) return null;
    const info = out.registrationInfo;
    return {
      config: { credentialId: info.credential.id, publicKey: Buffer.from(info.credential.publicKey).toString('base64url'), transports: Array.isArray(transports) ? transports.map(String).slice(0, 10) : [], name, backedUp: info.credentialBackedUp, deviceType: info.credentialDeviceType },
      counter: info.credential.counter,
    };
  } catch {
    return null;
  }
}

export interface Assertion { clientData: string; authenticatorData: string; signatureData: string; userHandle?: string | null }

/** Finds the user's credential that made the assertion; its enrollment and new counter, or null. */
export async function verifyAssertion(c: Ceremony, challenge: string, a: Assertion, candidates: Enrollment[]): Promise<{ enrollment: Enrollment; counter: number } | null> {
  for (const e of candidates) {
    const cfg = e.config as unknown as CredentialConfig;
    try {
      const out = await verifyAuthenticationResponse({
        response: { id: cfg.credentialId, rawId: cfg.credentialId, type: 'public-key', clientExtensionResults: {}, response: { clientDataJSON: b64url(a.clientData), authenticatorData: b64url(a.authenticatorData), signature: b64url(a.signatureData), ...(a.userHandle ? { userHandle: b64url(a.userHandle) } : {}) } },
        expectedChallenge: challenge, expectedOrigin: c.origins, expectedRPID: c.rpId, requireUserVerification: false,
        credential: { id: cfg.credentialId, publicKey: Buffer.from(cfg.publicKey, 'base64url'), counter: e.counter, transports: cfg.transports as never },
      });
      if (out.verified) return { enrollment: e, counter: out.authenticationInfo.newCounter };
    } catch {
      // Not this credential (or a counter that went back): try the next.
    }
  }
  return null;
}

/** The user an assertion's userHandle names (passkey sign-in: no identifier typed). */
export const userIdFromHandle = (handle: string) => Buffer.from(b64url(handle), 'base64url').toString('utf8');
