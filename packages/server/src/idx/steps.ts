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
import { challengeWebauthnAutofill } from './remediations/challenge-webauthn-autofill.js';
import { identifyRecovery } from './remediations/identify-recovery.js';
import { poll, recover, resend } from './remediations/actions.js';
import { resetAuthenticator } from './remediations/reset-authenticator.js';
import { selectAuthenticatorAuthenticate } from './remediations/select-authenticator-authenticate.js';
import { selectIdentify } from './remediations/select-identify.js';
import { selectEnrollProfile, unlockAccount } from './remediations/self-service.js';
import { enrollProfile } from './remediations/enroll-profile.js';
import { selectAuthenticatorUnlockAccount } from './remediations/select-authenticator-unlock-account.js';
import { selectAuthenticatorEnroll } from './remediations/select-authenticator-enroll.js';
import { enrollAuthenticator } from './remediations/enroll-authenticator.js';
import { AUTHENTICATORS } from '../identity/authenticators/registry.js';
import type { Choice, Transaction, TxStep } from './transaction.js';

export interface Step {
  remediations(tx: Transaction, view: ViewContext): Remediation<any>[];
  actions(tx: Transaction, view: ViewContext): Action[];
  objects(tx: Transaction, view: ViewContext): Partial<IdxResponse>;
}

/** Every remediation and action, for the route table. */
export const ALL_REMEDIATIONS: Remediation<any>[] = [identify, challengeWebauthnAutofill, selectEnrollProfile, unlockAccount, enrollProfile, selectAuthenticatorUnlockAccount, identifyRecovery, challengeAuthenticator, selectAuthenticatorAuthenticate, selectAuthenticatorEnroll, enrollAuthenticator, resetAuthenticator, selectIdentify];
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

/** An enrollment as IDX shows it (spec §2.1): the user's own id for it and what it shows about itself. */
function enrollmentObject(tx: Transaction, choice: Choice): IdxAuthenticator {
  const a = AUTHENTICATORS[choice.key]!;
  if (tx.context.intent === 'CREDENTIAL_RECOVERY' && choice.key === 'okta_email') return emailEnrollment(tx);
  return { ...describe(a), id: choice.enrollmentId ?? a.id, ...(choice.profile ? { profile: choice.profile } : {}) } as IdxAuthenticator;
}

/** The enrollment being challenged: from the choices the user picked among, or the recovery's email. */
function currentChoice(tx: Transaction): Choice {
  const key = tx.context.current!;
  return tx.context.choices?.find((c) => c.key === key) ?? tx.context.picked ?? { key };
}

function challengeObjects(tx: Transaction, v: ViewContext): Partial<IdxResponse> {
  const key = tx.context.current;
  if (key === 'okta_password' || !key) {
    const rec = recoverable(tx, v);
    return { currentAuthenticatorEnrollment: obj({ ...describe(password), ...(rec.length ? { recover: actionForm(recover, v) } : {}) }) };
  }
  const enrollment = enrollmentObject(tx, currentChoice(tx));
  const extra: Record<string, unknown> = {};
  if (key === 'okta_email') {
    Object.assign(extra, { contextualData: { useEmailMagicLink: Boolean(v.app.emailVerifyUri && tx.state) }, resend: actionForm(resend, v), poll: { ...actionForm(poll, v), refresh: 4000 } });
  }
  if (key === 'webauthn' && v.webauthn) Object.assign(extra, { contextualData: { challengeData: v.webauthn.challengeData } });
  const enrollments = key === 'webauthn' && v.webauthn ? v.webauthn.credentials : [enrollment];
  return {
    currentAuthenticatorEnrollment: obj({ ...enrollment, ...extra } as IdxAuthenticator),
    authenticatorEnrollments: { type: 'array', value: enrollments },
    ...(tx.context.intent === 'CREDENTIAL_RECOVERY' ? recoveryObjects(v) : {}),
  };
}

const STEPS: Record<TxStep, Step> = {
  identify: {
    // With passkeys on, the identify page also accepts an assertion from the browser's autofill (conditional UI).
    remediations: (_tx, v) => [identify, ...(v.passkeyAutofill ? [challengeWebauthnAutofill] : []),
      ...(v.selfService?.registration ? [selectEnrollProfile] : []), ...(v.selfService?.unlock ? [unlockAccount] : [])],
    actions: recoverable,
    // The password authenticator carries `recover` here: auth-js reports recover-password only from it (spec §8.2).
    objects: (tx, v) => ({
      ...(recoverable(tx, v).length ? { currentAuthenticator: obj({ ...describe(password), recover: actionForm(recover, v) }) } : {}),
      ...(v.passkeyAutofill ? { webauthnAutofillUIChallenge: { type: 'object', value: { challengeData: v.passkeyAutofill } } } : {}),
    }) as Partial<IdxResponse>,
  },
  challenge: {
    remediations: () => [challengeAuthenticator],
    actions: (tx, v) => (tx.context.current === 'okta_email' ? [resend, poll] : tx.context.current === 'okta_password' ? recoverable(tx, v) : []),
    objects: challengeObjects,
  },
  'select-authenticator': {
    remediations: () => [selectAuthenticatorAuthenticate],
    actions: none,
    objects: (tx, v) => ({
      authenticatorEnrollments: { type: 'array', value: (tx.context.choices ?? []).map((c) => enrollmentObject(tx, c)) },
      ...(tx.context.intent === 'CREDENTIAL_RECOVERY' ? recoveryObjects(v) : {}),
    }),
  },
  'select-enroll': {
    remediations: () => [selectAuthenticatorEnroll],
    actions: none,
    objects: (tx) => ({
      authenticators: { type: 'array', value: (tx.context.choices ?? []).map((c) => describe(AUTHENTICATORS[c.key]!)) },
      authenticatorEnrollments: { type: 'array', value: [] },
    }),
  },
  enroll: {
    remediations: () => [enrollAuthenticator],
    actions: (tx) => (tx.context.enrolling?.key === 'okta_email' ? [resend, poll] : []),
    objects: (tx, v) => {
      const a = AUTHENTICATORS[tx.context.enrolling!.key]!;
      if (a.key === 'okta_email') {
        // Verifying a new user's address (spec §4.6): the code box shows at once; resend and poll as in a challenge.
        const current = { ...describe(a), ...(tx.identifier?.includes('@') ? { profile: { email: maskEmail(tx.identifier) } } : {}), resend: actionForm(resend, v), poll: { ...actionForm(poll, v), refresh: 4000 } };
        return { currentAuthenticator: obj(current as IdxAuthenticator), authenticators: { type: 'array', value: [describe(a)] }, authenticatorEnrollments: { type: 'array', value: [] } };
      }
      const contextualData = tx.context.enrolling!.key === 'google_otp' ? v.totp : v.webauthn?.activationData ? { activationData: v.webauthn.activationData } : undefined;
      // WebAuthn: authenticatorEnrollments must be present (the Okta widget reads it unguarded, spec §6.1).
      return { currentAuthenticator: obj({ ...describe(a), ...(contextualData ? { contextualData } : {}) } as IdxAuthenticator), authenticatorEnrollments: { type: 'array', value: v.webauthn?.credentials ?? [] } };
    },
  },
  'identify-recovery': { remediations: () => [identifyRecovery, selectIdentify], actions: none, objects: (_tx, v) => recoveryObjects(v) },
  'reset-password': {
    remediations: () => [resetAuthenticator],
    actions: none,
    objects: (_tx, v) => ({ currentAuthenticator: obj({ ...describe(password), settings: passwordSettings(v.policy.password) }), ...recoveryObjects(v) }),
  },
  'enroll-profile': {
    remediations: () => [enrollProfile, selectIdentify],
    actions: none,
    objects: (_tx, v) => ({ currentAuthenticator: obj({ ...describe(password), settings: passwordSettings(v.policy.password) }) }),
  },
  unlock: {
    remediations: () => [selectAuthenticatorUnlockAccount],
    actions: none,
    // The user is not known yet: the enrollment is an id-less placeholder (spec §8.3).
    objects: () => ({
      authenticators: { type: 'array', value: [{ ...describe(email), allowedFor: 'any' } as IdxAuthenticator] },
      authenticatorEnrollments: { type: 'array', value: [{ type: 'email', key: 'okta_email', displayName: 'Email', methods: [{ type: 'email' }] } as unknown as IdxAuthenticator] },
    }),
  },
  done: { remediations: () => [], actions: none, objects: () => ({}) },
  success: { remediations: () => [], actions: none, objects: () => ({}) },
  cancelled: { remediations: () => [], actions: none, objects: () => ({}) },
};

export const stepOf = (tx: Transaction): Step => STEPS[tx.step];
