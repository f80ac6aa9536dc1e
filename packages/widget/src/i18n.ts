// Strings by key: IDX i18n keys (so server messages localise, as in Okta's widget) and the widget's own.
// English ships in the bundle; every other language is a JSON file built next to it (dist/i18n-{lang}.json,
// from src/locales/{lang}.json) and fetched when chosen, so the bundle stays small. `i18n` in the config overrides
// any key per language, and may add a language of its own. Field labels come from the server (in English) and
// are keyed by that English text. `{0}` in a string is a parameter. A new key needs a translation in every
// src/locales/*.json: a test checks that each has exactly the keys English has.

declare const __GH_VERSION__: string;

export type Dictionary = Record<string, string>;

const en: Dictionary = {
  'primaryauth.title': 'Sign In',
  'oie.password.challenge.title': 'Verify with your password',
  'sensitive.input.show': 'Show password',
  'sensitive.input.hide': 'Hide password',
  'oform.next': 'Next',
  'oform.verify': 'Verify',
  'oform.signin': 'Sign in',
  'oform.cancel': 'Cancel',
  'goback': 'Back to sign in',
  'loading': 'Loading…',
  'errors.E0000004': 'Unable to sign in',
  'errors.E0000047': 'You exceeded the maximum number of requests. Try again in a while.',
  'idx.session.expired': 'You have been logged out due to inactivity. Refresh or return to the sign in screen.',
  'model.validation.field.blank': 'This field cannot be left blank',
  'model.validation.field.invalid': 'This field has an invalid value',
  'idx.error.step.not.available': 'This step is not available. Start the sign-in again.',
  'idx.transaction.cancelled': 'The sign-in was cancelled.',
  'error.config': 'There was a configuration error.',
  'error.network': 'Cannot reach the sign-in service. Check your connection and try again.',
  'error.unexpected': 'Something went wrong. Try again.',
  'error.fields': 'Correct the highlighted fields.',
  'redirect.cancelled': 'The user cancelled the sign-in.',
  'redirect.expired': 'The sign-in session expired.',
  'oie.email.challenge.title': 'Verify with your email',
  'oie.password.enroll.title': 'Set up a password',
  'oie.email.enroll.title': 'Set up email',
  'oie.verify.title': "Verify it's you",
  'oie.select.title': "Verify it's you with a security method",
  'oie.select.enroll.title': 'Set up a security method',
  'password.reset.title': 'Reset your password',
  'password.reset': 'Reset password',
  'authenticator': 'Security method',
  'send.email': 'Send me an email',
  'send.email.sub': 'We will send a verification email to {0}.',
  'sent.email': 'We sent an email to {0}. Enter the code from it below.',
  'sent.email.link': 'We sent an email to {0}. Select the link in it, or enter the code below.',
  'action.recover': 'Forgot password?',
  'action.resend': 'Send again',
  'resent': 'We sent you a new email.',
  'switch.verify': 'Verify with something else',
  'switch.enroll': 'Return to the list of security methods',
  'signup': 'Sign up',
  'unlock': 'Unlock account?',
  'signup.title': 'Create an account',
  'unlock.title': 'Unlock your account',
  'unlock.done': 'Account successfully unlocked!',
  'oie.selfservice.unlock_user.success.message': 'You can sign in with your existing username and password.',
  'choose': 'Select an option',
  'required': 'Fields marked * are required.',
  'skip': 'Skip',
  'oform.back': 'Back',
  'confirm': 'Re-enter password',
  'password.mismatch': 'The passwords do not match.',
  'password.unmet': 'The password does not meet the requirements.',
  'rules': 'Password requirements:',
  'rules.todo': 'Still needed: {0}',
  'rules.done': 'All password requirements met.',
  'rule.minLength': 'At least {0} characters',
  'rule.minLowerCase': 'A lowercase letter',
  'rule.minUpperCase': 'An uppercase letter',
  'rule.minNumber': 'A number',
  'rule.minSymbol': 'A symbol',
  'rule.excludeUsername': 'No part of your username',
  'rule.firstName': 'Does not contain your first name',
  'rule.lastName': 'Does not contain your last name',
  'rule.maxConsecutiveRepeatingCharacters': 'No character more than {0} times in a row',
  'api.authn.error.PASSCODE_INVALID': 'Invalid code. Try again.',
  'tooManyRequests': 'Too many requests. Try again in a while.',
  'idx.recovery.completed': 'You can now sign in with your username and new password.',
  'oie.app.enroll.title': 'Set up {0}',
  'oie.app.challenge.title': 'Verify with {0}',
  'oie.security_key.enroll.title': 'Set up a security key or biometric authenticator',
  'oie.security_key.challenge.title': 'Verify with a security key or biometric authenticator',
  'enroll.app.scan': 'Scan this QR code with your authenticator app, then enter the code it shows.',
  'enroll.app.secret': "Can't scan? Enter this key in the app:",
  'qr.alt': 'QR code for your authenticator app',
  'copy': 'Copy',
  'copied': 'Copied',
  'webauthn.setup': 'Set up',
  'webauthn.cancelled': 'The request was cancelled or timed out. Try again.',
  'webauthn.unsupported': 'This browser has no security key, passkey or biometric authenticator it can use. Try another method or browser.',
  'webauthn.exists': 'This authenticator is already set up. Use another one.',
  'webauthn.failed': 'Your security key or biometric authenticator could not be used. Try again.',
  'passkey.signin': 'Sign in with a passkey',
  // Server messages (packages/server/src/idx/messages.ts) and field labels, so that every language has them.
  'idx.error.server': 'Something went wrong. Try again later.',
  'idx.error.concurrent.update': 'The sign-in was changed by another request. Try again.',
  'idx.error.code.expired': 'This code has expired or was tried too many times. Send a new one.',
  'idx.error.mail.not.sent': 'We could not send the email. Try again in a moment.',
  'password.passwordRequirementsNotMet': 'Password requirements were not met. {0}',
  'registration.error.invalidLoginEmail': 'Invalid email address.',
  'registration.error.notUniqueWithinOrg': 'An account with that email already exists.',
  'authfactor.challenge.soft_token.invalid_passcode': "Your code doesn't match our records. Please try again.",
  'authfactor.challenge.soft_token.used_passcode': 'Each code can only be used once. Please wait for a new code and try again.',
  'authfactor.webauthn.error.assertion_validation_failure': 'None of the WebAuthn authenticators the user has enrolled for was able to validate the assertion',
  'Username': 'Username',
  'Password': 'Password',
  'Email': 'Email',
  'First name': 'First name',
  'Last name': 'Last name',
  'Keep me signed in': 'Keep me signed in',
  'Enter code': 'Enter code',
  'New password': 'New password',
  'Enter password': 'Enter password',
  'Enter Password': 'Enter Password',
  'Sign me out of all other devices': 'Sign me out of all other devices',
};

/** Languages shipped as files beside the bundle (English is in it). */
export const LANGUAGES = ['ar', 'de', 'es', 'fr', 'it', 'ja', 'nl', 'pl', 'pt'];
const RTL = /^(ar|fa|he|ur|ps|yi)(-|$)/;

export type Translate = (key: string, fallback?: string, param?: string) => string;

export interface Strings {
  lang: string;
  dir: 'ltr' | 'rtl';
  /** Reads the current dictionary: English (with overrides) until the language file arrives. */
  t: Translate;
  /** Resolves with the language in use once its file is loaded ('en' if it could not be). */
  ready: Promise<string>;
}

/**
 * Picks the language: `language` from the config, then the browser's (navigator.languages), then English. A tag
 * matches a shipped language, or one the config's `i18n` defines, exactly ('pt-br') or by its primary subtag ('pt').
 */
export function pickLanguage(language: string | undefined, overrides: Record<string, Dictionary> = {}): string {
  const known = (l: string) => l === 'en' || LANGUAGES.includes(l) || !!overrides[l];
  const nav = typeof navigator === 'undefined' ? [] : navigator.languages?.length ? navigator.languages : [navigator.language];
  for (const w of [language, ...nav]) {
    const tag = (w ?? '').toLowerCase().replace(/_/g, '-');
    if (tag && known(tag)) return tag;
    const primary = tag.split('-')[0]!;
    if (primary && known(primary)) return primary;
  }
  return 'en';
}

/** The widget's strings in the chosen language; `assets` is the folder of the language files (with a trailing slash). */
export function translator(language: string | undefined, overrides: Record<string, Dictionary> = {}, assets?: string): Strings {
  const lang = pickLanguage(language, overrides);
  const own = overrides[lang] ?? {};
  let dict: Dictionary = { ...en, ...own };
  const t: Translate = (key, fallback, param) => (dict[key] ?? fallback ?? key).replace('{0}', () => param ?? '');
  const ready = !LANGUAGES.includes(lang) || !assets ? Promise.resolve(lang)
    : fetch(`${assets}i18n-${lang}.json`, { credentials: 'omit' })
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`language file: HTTP ${r.status}`))))
      .then((loaded: Dictionary) => {
        dict = { ...en, ...loaded, ...own };
        return lang;
      })
      // Unreachable: English (with the page's overrides for this language) rather than no widget.
      .catch(() => 'en');
  return { lang, dir: RTL.test(lang) ? 'rtl' : 'ltr', t, ready };
}

/** Where the language files are: the config's `assets.baseUrl`, else the issuer's /widget/{version}/ folder. */
export const assetBase = (issuer: string, baseUrl?: string) => baseUrl ? baseUrl.replace(/\/*$/, '/') : new URL(`/widget/${__GH_VERSION__}/`, issuer).href;
