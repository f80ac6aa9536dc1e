// The redirect that ends a v1/authorize request, success or error (RFC 6749 §4.1.2, §4.1.2.1). It names the
// issuer (RFC 9207), so a client talking to several authorization servers can tell which one answered and a
// mix-up attack fails; absent values (a state the request did not send) are left out, never sent empty.

export function authorizationResponseUrl(redirectUri: string, issuer: string, params: Record<string, string | null | undefined>): string {
  const to = new URL(redirectUri);
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null) to.searchParams.set(k, v);
  to.searchParams.set('iss', issuer);
  return to.href;
}
