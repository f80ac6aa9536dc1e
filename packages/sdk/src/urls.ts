// How Okta's clients derive URLs from an issuer (spec §3.1): OAuth endpoints under {issuer}/v1 for a
// custom server or {issuer}/oauth2/v1 for the org server; IDX under the domain (issuer cut at /oauth2).
import { GatehouseError } from './errors.js';

export interface Urls {
  issuer: string;
  domain: string;
  oauthBase: string;
  discovery: string;
}

export function urlsFor(issuer: string): Urls {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    throw new GatehouseError('CONFIG_ERROR', `issuer is not a URL: ${issuer}`);
  }
  const local = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) {
    throw new GatehouseError('CONFIG_ERROR', 'issuer must use https (http is allowed only for localhost)');
  }
  const clean = issuer.replace(/\/+$/, '');
  const cut = clean.indexOf('/oauth2');
  const domain = cut >= 0 ? clean.slice(0, cut) : clean;
  const oauthBase = clean.includes('/oauth2') ? `${clean}/v1` : `${clean}/oauth2/v1`;
  return { issuer: clean, domain, oauthBase, discovery: `${clean}/.well-known/openid-configuration` };
}
