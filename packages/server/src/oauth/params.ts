// Request parameters that no protocol allows control characters in (RFC 6749 Appendix A: client_id, state,
// scope, redirect_uri and code values are all printable). Refused at the edge, so a NUL never reaches a
// database (PostgreSQL cannot store U+0000) and a value cannot split a log line or a header.
import { invalidRequest } from './errors.js';

export const CONTROL = /[\u0000-\u001f\u007f]/;

/** Throws invalid_request naming the first parameter whose name or value holds a control character. */
export function refuseControlCharacters(params: Record<string, string | undefined>): void {
  for (const [k, v] of Object.entries(params)) {
    if (CONTROL.test(k) || (v !== undefined && CONTROL.test(v))) {
      throw invalidRequest({ description: `The ${k.replace(/[^\x20-\x7e]/g, '?').slice(0, 40)} parameter contains a control character.` });
    }
  }
}
