// Every special case by remediation or action name, in one place. Everything else the widget shows is
// read from field properties (type, secret, options, form, label, relatesTo).
import type { IdxForm } from '@gatehouse/protocol';

/**
 * Per primary form: [title key, button key, subtitle key, keeps its title during password recovery].
 * `{type}` is the authenticator's type (email, password, …); a key missing from the dictionary falls back
 * to 'oie.verify.title' (titles) or 'oform.next' (buttons), or no subtitle.
 */
export const FORMS: Record<string, [string, string, string?, 1?]> = {
  identify: ['primaryauth.title', 'oform.next', undefined, 1],
  'identify-recovery': ['password.reset.title', 'oform.next'],
  'challenge-authenticator': ['oie.{type}.challenge.title', 'oform.verify', 'sent.{type}', 1],
  'enroll-authenticator': ['oie.{type}.enroll.title', 'oform.verify', 'sent.{type}', 1],
  'authenticator-verification-data': ['oie.{type}.challenge.title', 'send.{type}', 'send.{type}.sub'],
  'authenticator-enrollment-data': ['oie.{type}.enroll.title', 'send.{type}', 'send.{type}.sub'],
  'select-authenticator-authenticate': ['oie.select.title', 'oform.next'],
  'select-authenticator-enroll': ['oie.select.enroll.title', 'oform.next'],
  'reset-authenticator': ['password.reset.title', 'password.reset'],
  'enroll-profile': ['signup.title', 'signup'],
  'select-authenticator-unlock-account': ['unlock.title', 'oform.next'],
};

/** Terminal messages that give the view its own title (the message is the text under it). */
export const TERMINALS: Record<string, string> = { 'oie.selfservice.unlock_user.success.message': 'unlock.done' };

/** Profile attributes a browser can fill in (autocomplete tokens; an email address is also kept from spellcheck). */
export const AUTOFILL: Record<string, string> = { firstName: 'given-name', lastName: 'family-name' };

/** Sibling remediations shown as links under the primary form: the link's text key. */
export const LINKS: Record<string, string> = {
  'select-authenticator-authenticate': 'switch.verify',
  'select-authenticator-enroll': 'switch.enroll',
  'select-enroll-profile': 'signup',
  'unlock-account': 'unlock',
  'select-identify': 'goback',
  skip: 'skip',
};

/** A sibling choice list is worth a link only with at least this many options ("verify with something else" needs two). */
export const MIN_OPTIONS: Record<string, number> = { 'select-authenticator-authenticate': 2, 'select-authenticator-enroll': 1 };

/** Actions on the current authenticator shown as links (each posts its stateHandle); `poll` runs by itself. */
export const ACTIONS: Record<string, string> = { recover: 'action.recover', resend: 'action.resend' };

/** The server's authenticator object, as far as the widget reads it. */
export interface Authn {
  type?: string;
  key?: string;
  id?: string;
  settings?: { complexity?: Record<string, unknown> };
  profile?: { email?: string };
  displayName?: string;
  contextualData?: { useEmailMagicLink?: boolean; qrcode?: { href?: string }; sharedSecret?: string; activationData?: Record<string, unknown>; challengeData?: Record<string, unknown> };
  recover?: IdxForm;
  resend?: IdxForm;
  poll?: IdxForm & { refresh?: number };
}
