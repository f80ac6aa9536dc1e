// The pages Gatehouse itself shows in a browser: the hosted sign-in page's frame and the error pages, in one
// layout (hosted.css from the widget package: the brand's logo or name, a heading, the content, centred at any
// width, light or dark). Every value is escaped; no inline script or style, so the pages keep their CSP.
import type { Brand } from '../store/interfaces.js';
import { escapeHtml } from './respond.js';
import { widgetAsset } from './widget-assets.js';

/** What an end user can do about an error page that says nothing more specific. */
const GO_BACK = 'Go back to the application you came from and start signing in again. If this keeps happening, tell its administrator what this page says.';

export interface PageParts {
  title: string;
  heading: string;
  /** HTML, already escaped by the caller. */
  body: string;
  brand?: Brand;
  /** HTML for <head> (the widget's stylesheet). */
  head?: string;
  /** HTML for the end of <body> (the hosted page's scripts). */
  scripts?: string;
}

export function page(p: PageParts): string {
  const css = widgetAsset('hosted.css');
  const logo = p.brand?.logoUrl ? `<img class="gh-page-logo" src="${escapeHtml(p.brand.logoUrl)}" alt="${escapeHtml(p.brand.name ?? '')}">` : '';
  const org = !logo && p.brand?.name ? `<p class="gh-page-org">${escapeHtml(p.brand.name)}</p>` : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(p.title)}</title><link rel="icon" href="data:,">
${css ? `<link rel="stylesheet" href="${css.path}" integrity="${css.sri}" crossorigin="anonymous">` : ''}${p.head ?? ''}
</head><body class="gh-page"><main class="gh-page-main">
<header class="gh-page-header">${logo}${org}<h1>${escapeHtml(p.heading)}</h1></header>
${p.body}
</main>${p.scripts ?? ''}</body></html>`;
}

/** An error page: what went wrong and what to do about it (by default: go back and start again). */
export function errorPage(title: string, detail: string, whatToDo = GO_BACK): string {
  return page({ title, heading: title, body: `<div class="gh-page-card"><p>${escapeHtml(detail)}</p>${whatToDo ? `<p>${escapeHtml(whatToDo)}</p>` : ''}</div>` });
}

/** The origin a logo URL loads from, for img-src; null when there is none or it is not a URL. */
export function logoOrigin(brand: Brand | undefined): string | null {
  try { return brand?.logoUrl ? new URL(brand.logoUrl).origin : null; } catch { return null; }
}
