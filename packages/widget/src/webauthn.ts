// WebAuthn in the browser: navigator.credentials.create/get from the server's `activationData` / `challengeData`
// (base64url challenge, user id and credential ids, spec §6.1, §6.3), answered the way the Okta clients answer:
// binary as standard base64 (btoa), `transports` and `clientExtensions` as JSON strings. It does not decide when a
// ceremony runs (flow.ts does) and never talks to the server.

type Data = Record<string, any>;
export interface Credential { credentialId?: string; key?: string; transports?: string[] }

const bytes = (s: string) => Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
const b64 = (b: ArrayBuffer | null) => (b ? btoa(String.fromCharCode(...new Uint8Array(b))) : undefined);
const descriptors = (list: Credential[] = []) =>
  list.filter((c) => c.credentialId).map((c) => ({ type: 'public-key' as const, id: bytes(c.credentialId!), transports: c.transports as AuthenticatorTransport[] | undefined }));

/** Whether this browser can run a WebAuthn ceremony at all. */
export const hasWebauthn = () => typeof PublicKeyCredential !== 'undefined' && !!navigator.credentials;

/** Whether the browser offers passkeys in an input's autofill (conditional mediation). */
export const hasConditional = async () => hasWebauthn() && !!(await (PublicKeyCredential as any).isConditionalMediationAvailable?.().catch(() => false));

/** A new credential (enrollment): the `credentials` object to post to enroll-authenticator. */
export async function create(a: Data): Promise<Data> {
  const c = (await navigator.credentials.create({
    publicKey: {
      ...a, challenge: bytes(a.challenge), user: { ...a.user, id: bytes(a.user.id) }, excludeCredentials: descriptors(a.excludeCredentials?.map((x: Data) => ({ ...x, credentialId: x.id }))),
    } as unknown as PublicKeyCredentialCreationOptions,
  })) as PublicKeyCredential;
  const r = c.response as AuthenticatorAttestationResponse;
  return {
    clientData: b64(r.clientDataJSON), attestation: b64(r.attestationObject),
    transports: r.getTransports ? JSON.stringify(r.getTransports()) : undefined, clientExtensions: JSON.stringify(c.getClientExtensionResults()),
  };
}

/**
 * An assertion: the `credentials` object for challenge-authenticator or the passkey autofill form. `allow` lists
 * the user's enrollments (none for a discoverable passkey); `mediation: 'conditional'` waits for the autofill pick.
 */
export async function get(d: Data, allow: Credential[], signal?: AbortSignal, mediation?: 'conditional'): Promise<Data> {
  const c = (await navigator.credentials.get({
    mediation, signal,
    publicKey: { ...d, challenge: bytes(d.challenge), allowCredentials: descriptors(allow.filter((x) => x.key === 'webauthn')) } as unknown as PublicKeyCredentialRequestOptions,
  } as CredentialRequestOptions)) as PublicKeyCredential;
  const r = c.response as AuthenticatorAssertionResponse;
  return { clientData: b64(r.clientDataJSON), authenticatorData: b64(r.authenticatorData), signatureData: b64(r.signature), userHandle: b64(r.userHandle) };
}

/** The message key for a failed ceremony: the user cancelled (or it timed out), it is already set up, or no authenticator. */
export function failureKey(e: unknown): string {
  const name = (e as Error)?.name;
  if (!hasWebauthn() || name === 'NotSupportedError') return 'webauthn.unsupported';
  if (name === 'InvalidStateError') return 'webauthn.exists';
  return name === 'NotAllowedError' || name === 'AbortError' ? 'webauthn.cancelled' : 'webauthn.failed';
}
