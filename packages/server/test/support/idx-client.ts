// Raw IDX calls over HTTP, for tests that assert exact wire shapes. No client library in between.
import { createHash, randomBytes } from 'node:crypto';
import type { TestServer } from './start-server.js';

export const ION = 'application/ion+json; okta-version=1.0.0';

export interface Interaction {
  interactionHandle: string;
  verifier: string;
  state: string;
  nonce: string;
}

export function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export async function interact(gh: TestServer, p: { clientId: string; redirectUri: string; scope?: string; extra?: Record<string, string> }): Promise<Interaction> {
  const { verifier, challenge } = pkce();
  const state = randomBytes(16).toString('hex');
  const nonce = randomBytes(16).toString('hex');
  const res = await fetch(`${gh.issuer}/v1/interact`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: p.clientId, redirect_uri: p.redirectUri, scope: p.scope ?? 'openid profile email', state, nonce, code_challenge: challenge, code_challenge_method: 'S256', ...p.extra }),
  });
  const body = await res.json();
  if (res.status !== 200) throw new Error(`interact failed: ${res.status} ${JSON.stringify(body)}`);
  return { interactionHandle: body.interaction_handle, verifier, state, nonce };
}

export async function idx(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: ION, ...headers }, body: JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: text ? JSON.parse(text) : undefined };
}

export const introspect = (gh: TestServer, body: unknown) => idx(`${gh.baseUrl}/idp/idx/introspect`, body, { 'content-type': ION });

export function codeOf(json: any): string | undefined {
  return json?.successWithInteractionCode?.value?.find((f: any) => f.name === 'interaction_code')?.value;
}

/** interact -> introspect -> identify (password-first): returns the interaction code and the PKCE verifier. */
export async function signInForCode(gh: TestServer, p: { clientId: string; redirectUri: string; username: string; password: string; scope?: string; extra?: Record<string, string> }) {
  const it = await interact(gh, p);
  const first = await introspect(gh, { interactionHandle: it.interactionHandle });
  const form = first.json.remediation.value[0];
  const done = await idx(form.href, { identifier: p.username, credentials: { passcode: p.password }, stateHandle: first.json.stateHandle });
  const code = codeOf(done.json);
  if (!code) throw new Error(`sign-in failed: ${done.status} ${done.text}`);
  return { ...it, code, stateHandle: first.json.stateHandle as string };
}

export async function token(gh: TestServer, form: Record<string, string>, auth?: { clientId: string; clientSecret?: string }) {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (auth?.clientSecret) headers.authorization = 'Basic ' + Buffer.from(`${encodeURIComponent(auth.clientId)}:${encodeURIComponent(auth.clientSecret)}`).toString('base64');
  const res = await fetch(`${gh.issuer}/v1/token`, { method: 'POST', headers, body: new URLSearchParams(form) });
  return { status: res.status, headers: res.headers, json: await res.json() };
}
