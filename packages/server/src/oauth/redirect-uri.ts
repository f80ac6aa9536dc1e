// Redirect URIs and origins are matched by string equality against what was registered (SECURITY.md):
// no prefix matching and no normalisation an attacker could steer. Validation happens at registration.

export function isValidRedirectUri(u: string): boolean {
  if (typeof u !== 'string' || u.length > 2000) return false;
  try {
    const url = new URL(u);
    if (url.hash || url.username || url.password) return false;
    // Custom schemes are allowed for native apps (com.example.app:/callback). http(s) URIs must be
    // registered in their canonical form, so the string compared at run time is the one a browser sends.
    if (url.protocol === 'http:' || url.protocol === 'https:') return url.href === u;
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
  return registered.includes(candidate);
}
