// Brand: the name, logo and colours the hosted page and the widget show. The org sets a default, an app may
// override any part of it; what is not set anywhere falls back to the built-in look. Values are checked here,
// strictly, because they end up in HTML attributes and CSS: a colour is a hex colour, a logo an http(s) URL.
import type { Brand, Store } from '../store/interfaces.js';
import { AdminError } from './admin.js';

export const NO_BRAND: Brand = { name: null, logoUrl: null, primaryColor: null, background: null };
const COLOR = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;

/** The brand an app's pages show: the app's override over the org's default, part by part. */
export async function resolveBrand(store: Store, clientId: string | null): Promise<Brand> {
  const org = (await store.brands.get(null)) ?? NO_BRAND;
  const app = clientId ? (await store.brands.get(clientId)) ?? NO_BRAND : NO_BRAND;
  return {
    name: app.name ?? org.name, logoUrl: app.logoUrl ?? org.logoUrl,
    primaryColor: app.primaryColor ?? org.primaryColor, background: app.background ?? org.background,
  };
}

/** Applies a change (undefined: keep, '': clear) to the org's brand or an app's override, after checking it. */
export async function setBrand(store: Store, clientId: string | null, change: { [K in keyof Brand]?: string }, now: number): Promise<Brand> {
  if (clientId !== null && !(await store.apps.findByClientId(clientId))) throw new AdminError(`no app with client id "${clientId}"`);
  const b = { ...((await store.brands.get(clientId)) ?? NO_BRAND) };
  for (const [k, v] of Object.entries(change) as [keyof Brand, string | undefined][]) if (v !== undefined) b[k] = v === '' ? null : v;
  if (b.name !== null && (b.name.length > 100 || /[\x00-\x1f\x7f]/.test(b.name))) throw new AdminError('brand name must be 1-100 characters without control characters');
  if (b.logoUrl !== null && !isLogoUrl(b.logoUrl)) throw new AdminError(`--logo-url must be an https URL (http only for localhost), not "${b.logoUrl}"`);
  if (b.primaryColor !== null && !COLOR.test(b.primaryColor)) throw new AdminError(`--primary-color must be a hex colour such as #0a66c2, not "${b.primaryColor}"`);
  if (b.background !== null && !COLOR.test(b.background)) throw new AdminError(`--background must be a hex colour such as #f5f5f5, not "${b.background}"`);
  await store.brands.set(clientId, b, now);
  await store.events.append({ type: 'brand.set', at: now, clientId, detail: { ...b } });
  return b;
}

function isLogoUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return s.length <= 2048 && (u.protocol === 'https:' || (u.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname)));
  } catch {
    return false;
  }
}
