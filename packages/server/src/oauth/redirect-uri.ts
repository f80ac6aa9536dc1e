// Redirect URIs and origins are matched against what was registered (SECURITY.md): no prefix matching and no
// normalisation an attacker could steer. The one normalisation is RFC 3986 §6.2.2.1/§6.2.3's for scheme, host
// and an empty path, so `http://localhost:3000` and `http://LOCALHOST:3000/` are the same URI (standard RP
// libraries send a bare origin as a post-logout URI). Path, query, escapes and dot segments compare exactly.

const HIERARCHICAL = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([\s\S]*)$/;

/** The URI with scheme and host lower-cased and an empty path written as `/`; anything else unchanged. */
export function normalizeUri(u: string): string {
  const m = HIERARCHICAL.exec(u);
  if (!m) return u;
  const [, scheme, authority, rest] = m as unknown as [string, string, string, string];
  const path = rest === '' || rest.startsWith('?') ? '/' + rest : rest;
  return `${scheme.toLowerCase()}://${authority.toLowerCase()}${path}`;
}

export function isValidRedirectUri(u: string): boolean {
  if (typeof u !== 'string' || u.length > 2000) return false;
  try {
    const url = new URL(u);
    if (url.hash || url.username || url.password) return false;
    // Custom schemes are allowed for native apps (com.example.app:/callback). http(s) URIs must be
    // registered in their canonical form (bar scheme/host case and an empty path), so the string compared at
    // run time is the one a browser sends.
    if (url.protocol === 'http:' || url.protocol === 'https:') return url.href === normalizeUri(u);
    return true;
  } catch {
    return false;
  }
}

export function isValidOrigin(o: string): boolean {
  try {
    const url = new URL(o);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === o;
  } catch {
    return false;
  }
}

export function isRegisteredRedirectUri(registered: readonly string[], candidate: string): boolean {
  if (registered.includes(candidate)) return true;
  const n = normalizeUri(candidate);
  return registered.some((r) => normalizeUri(r) === n);
}

/** Whether two redirect URIs name the same endpoint (the token request's against the authorization request's). */
export function isSameRedirectUri(a: string, b: string): boolean {
  return a === b || normalizeUri(a) === normalizeUri(b);
}
