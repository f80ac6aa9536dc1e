// What the management API's modules share: the parsed body, a page of rendered objects, and small input checks
// that answer in Okta's error shape.
import { invalidField } from './errors.js';

export type Body = Record<string, unknown>;

/** Rendered objects and the cursor for the next page (the transport turns it into a `Link: rel="next"`). */
export interface Listing {
  items: unknown[];
  next: string | null;
}

export const iso = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(ms).toISOString());

/** `limit`: a whole number, capped at `max` as Okta caps it; anything else is a 400. */
export function listLimit(params: URLSearchParams, fallback: number, max: number): number {
  const v = params.get('limit');
  if (v === null) return fallback;
  if (!/^\d{1,9}$/.test(v) || Number(v) < 1) throw invalidField('limit', 'limit must be a positive whole number.');
  return Math.min(Number(v), max);
}

export function str(v: unknown, field: string, max: number): string {
  if (typeof v !== 'string') throw invalidField(field, 'The value must be a string.');
  if (v.length > max) throw invalidField(field, `The value is longer than ${max} characters.`);
  return v;
}
