// A password check is the password authenticator through the one factor-check path: argon2id against the
// user's hash, or against the dummy hash for an unknown user, so timing does not tell them apart.
import type { Deps } from '../deps.js';
import type { User } from '../store/interfaces.js';
import { password as passwordAuthenticator } from './authenticators/password.js';
import { checkFactor } from './factor-check.js';
import { MAX_PASSWORD_LENGTH } from './passwords.js';

export function checkPassword(deps: Deps, user: User | null, password: string, from: { clientId: string; ip?: string }): Promise<User | null> {
  return checkFactor(deps, {
    authenticator: passwordAuthenticator, user, clientId: from.clientId, ip: from.ip,
    verify: async () => password.length <= MAX_PASSWORD_LENGTH && deps.passwords.verify(user?.passwordHash ?? null, password),
  });
}
