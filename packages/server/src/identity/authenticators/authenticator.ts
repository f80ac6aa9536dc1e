// The shape every authenticator module shares (STYLE §4): its key, IDX type, methods and the `amr` it proves.
// How a factor is checked (lockout, rate limit, audit) is not here but in factor-check.ts, so a new factor
// inherits all of it; what a factor stores per user lives in `enrollments` (store/interfaces.ts).
import type { IdxAuthenticator } from '@gatehouse/protocol';
import type { AuthenticatorKey } from '../../store/interfaces.js';

export interface Authenticator {
  key: AuthenticatorKey;
  type: 'password' | 'email' | 'app' | 'security_key';
  /** The org's authenticator id (what select-authenticator options name); stable across restarts. */
  id: string;
  displayName: string;
  methods: string[];
  /** RFC 8176 values a successful check adds to the ID token's `amr`. */
  amr: string[];
}

/** The authenticator object as IDX renders it (spec §2.1), without actions or per-user data. */
export function describe(a: Authenticator): IdxAuthenticator {
  return { type: a.type, key: a.key, id: a.id, displayName: a.displayName, methods: a.methods.map((type) => ({ type })) };
}
