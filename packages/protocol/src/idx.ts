// IDX wire types: the JSON that /idp/idx/* sends and accepts (shared/spec/idx-protocol.md §7).
// Types only; the server renders these, the widget and SDK read them.

export const IDX_VERSION = '1.0.0';
export const ION_JSON = 'application/ion+json; okta-version=1.0.0';
export const IDX_ACCEPTS = 'application/json; okta-version=1.0.0';

export type MessageClass = 'ERROR' | 'INFO' | 'WARNING';

export interface IdxMessage {
  message: string;
  i18n?: { key: string; params?: unknown[] };
  class: MessageClass;
}

export interface IdxMessages {
  type: 'array';
  value: IdxMessage[];
}

export interface IdxOption {
  label: string;
  value: string | number | boolean | { form: { value: IdxField[] } };
  relatesTo?: string;
}

export interface IdxField {
  name: string;
  label?: string;
  type?: 'string' | 'boolean' | 'object' | 'number' | 'integer';
  required?: boolean;
  secret?: boolean;
  visible?: boolean;
  mutable?: boolean;
  value?: unknown;
  form?: { value: IdxField[] };
  options?: IdxOption[];
  messages?: IdxMessages;
  minLength?: number;
  maxLength?: number;
  hint?: string;
}

export interface IdxForm {
  rel: ['create-form'];
  name: string;
  href: string;
  method: 'POST' | 'GET';
  produces?: string;
  accepts?: string;
  value: IdxField[];
  relatesTo?: string[];
  refresh?: number;
}

export type RemediationName =
  | 'identify'
  | 'challenge-authenticator'
  | 'select-authenticator-authenticate'
  | 'redirect-idp';

export interface IdxAuthenticator {
  type: string;
  key: string;
  id: string;
  displayName: string;
  methods: { type: string }[];
  settings?: Record<string, unknown>;
  recover?: IdxForm;
}

export interface IdxResponse {
  version: typeof IDX_VERSION;
  stateHandle?: string;
  expiresAt?: string;
  intent?: string;
  remediation?: { type: 'array'; value: IdxForm[] };
  messages?: IdxMessages;
  currentAuthenticator?: { type: 'object'; value: IdxAuthenticator };
  currentAuthenticatorEnrollment?: { type: 'object'; value: IdxAuthenticator };
  authenticators?: { type: 'array'; value: IdxAuthenticator[] };
  authenticatorEnrollments?: { type: 'array'; value: IdxAuthenticator[] };
  user?: { type: 'object'; value: { id: string; identifier: string } };
  app?: { type: 'object'; value: { name: string; label: string; id: string } };
  cancel?: IdxForm;
  successWithInteractionCode?: IdxForm;
}

/** Okta API error object, used on IDX routes for transport faults (malformed JSON, wrong media type). */
export interface OktaApiError {
  errorCode: string;
  errorSummary: string;
  errorLink: string;
  errorId: string;
  errorCauses: { errorSummary: string }[];
}
