// What each step offers (STYLE §4): its forms in the order clients see them (clients act on value[0]), the
// actions it accepts, and the top-level objects it contributes to the response. The renderer and the engine
// both read this table, so a step is described once. Routes are generated from it (http/idx-routes.ts).
import type { IdxAuthenticator, IdxResponse } from '@gatehouse/protocol';
import { describe } from '../identity/authenticators/authenticator.js';
import { email, maskEmail } from '../identity/authenticators/email.js';
import { password, passwordSettings } from '../identity/authenticators/password.js';
import { sha256 } from '../random.js';
import { form, hiddenImmutable } from './fields.js';
import type { Action, Remediation, ViewContext } from './remediation.js';
import { challengeAuthenticator } from './remediations/challenge-authenticator.js';
import { identify } from './remediations/identify.js';
import { identifyRecovery } from './remediations/identify-recovery.js';
import { poll, recover, resend } from './remediations/actions.js';
import { resetAuthenticator } from './remediations/reset-authenticator.js';
import { selectAuthenticatorAuthenticate } from './remediations/select-authenticator-authenticate.js';
import { selectIdentify } from './remediations/select-identify.js';
import type { Transaction, TxStep } from './transaction.js';

export interface Step {
  remediations: Remediation<any>[];
  actions(tx: Transaction, view: ViewContext): Action[];
  objects(tx: Transaction, view: ViewContext): Partial<IdxResponse>;
}

/** Every remediation and action, for the route table. */
export const ALL_REMEDIATIONS: Remediation<any>[] = [identify, identifyRecovery, challengeAuthenticator, selectAuthenticatorAuthenticate, resetAuthenticator, selectIdentify];
export const ALL_ACTIONS: Action[] = [recover, resend, poll];

const none = () => [];
const actionForm = (a: Action, v: ViewContext) => form(a.name, v.baseUrl + a.path, [hiddenImmutable('stateHandle', v.stateHandle)]);
const obj = (value: IdxAuthenticator) => ({ type: 'object' as const, value });
const recoverable = (tx: Transaction, v: ViewContext) => (v.mailEnabled && tx.context.intent !== 'CREDENTIAL_RECOVERY' ? [recover] : []);

// Recovery shows the password authenticator as what is being recovered (the widget's "Reset your password").
const recoveryObjects = (v: ViewContext): Partial<IdxResponse> => ({ recoveryAuthenticator: obj({ ...describe(password), settings: passwordSettings(v.policy.password) }) } as Partial<IdxResponse>);

/**
 * The email enrollment as shown during recovery: everything comes from what the user typed (the identifier,
 * masked when it is an address; an id derived from it), so a known and an unknown identifier look the same.
 */
function emailEnrollment(tx: Transaction): IdxAuthenticator {
  const id = 'eae' + sha256(`enrollment:${(tx.identifier ?? '').toLowerCase()}`).replace(/[-_]/g, 'x').slice(0, 17);
  return { ...describe(email), id, ...(tx.identifier?.includes('@') ? { profile: { email: maskEmail(tx.identifier) } } : {}) } as IdxAuthenticator;
}

const STEPS: Record<TxStep, Step> = {
  identify: {
    remediations: [identify],
    actions: recoverable,
    // The password authenticator carries `recover` here: auth-js reports recover-password only from it (spec §8.2).
    objects: (tx, v) => (recoverable(tx, v).length ? { currentAuthenticator: obj({ ...describe(password), recover: actionForm(recover, v) }) } : {}),
  },
  challenge: {
    remediations: [challengeAuthenticator],
    actions: (tx, v) => (tx.context.current === 'okta_email' ? [resend, poll] : recoverable(tx, v)),
    objects(tx, v) {
      if (tx.context.current !== 'okta_email') {
        const rec = recoverable(tx, v);
        return { currentAuthenticatorEnrollment: obj({ ...describe(password), ...(rec.length ? { recover: actionForm(recover, v) } : {}) }) };
      }
      const enrollment = emailEnrollment(tx);
      const current = {
        ...enrollment,
        contextualData: { useEmailMagicLink: Boolean(v.app.emailVerifyUri && tx.state) },
        resend: actionForm(resend, v),
        poll: { ...actionForm(poll, v), refresh: 4000 },
      };
      return { currentAuthenticatorEnrollment: obj(current as IdxAuthenticator), authenticatorEnrollments: { type: 'array', value: [enrollment] }, ...recoveryObjects(v) };
    },
  },
  'select-authenticator': {
    remediations: [selectAuthenticatorAuthenticate],
    actions: none,
    objects: (tx, v) => ({ authenticatorEnrollments: { type: 'array', value: [emailEnrollment(tx)] }, ...recoveryObjects(v) }),
  },
  'identify-recovery': { remediations: [identifyRecovery, selectIdentify], actions: none, objects: (_tx, v) => recoveryObjects(v) },
  'reset-password': {
    remediations: [resetAuthenticator],
    actions: none,
    objects: (_tx, v) => ({ currentAuthenticator: obj({ ...describe(password), settings: passwordSettings(v.policy.password) }), ...recoveryObjects(v) }),
  },
  success: { remediations: [], actions: none, objects: () => ({}) },
  cancelled: { remediations: [], actions: none, objects: () => ({}) },
};

export const stepOf = (tx: Transaction): Step => STEPS[tx.step];
