// Small builders that keep IDX forms readable and identical everywhere (spec §7.3).
import type { IdxField, IdxForm } from '@gatehouse/protocol';
import { IDX_ACCEPTS, ION_JSON } from '@gatehouse/protocol';
import { AUTHENTICATORS } from '../identity/authenticators/registry.js';
import type { AuthenticatorKey } from '../store/interfaces.js';

export const hiddenImmutable = (name: string, value: string): IdxField => ({ name, required: true, value, visible: false, mutable: false });

export const passwordField = (name = 'passcode', label = 'Password'): IdxField => ({ name, label, secret: true });

export const credentialsField = (): IdxField => ({ name: 'credentials', type: 'object', required: true, form: { value: [passwordField()] } });

export function form(name: string, href: string, value: IdxField[], extra: Partial<IdxForm> = {}): IdxForm {
  return { rel: ['create-form'], name, href, method: 'POST', produces: ION_JSON, accepts: IDX_ACCEPTS, value, ...extra };
}

/**
 * The `authenticator` field of a select-authenticator form (spec §3.1, §3.2): one option per authenticator, its
 * `id` and single method, related to the list the response carries (`authenticatorEnrollments` or `authenticators`).
 */
export function authenticatorChoiceField(keys: AuthenticatorKey[], list: 'authenticatorEnrollments' | 'authenticators'): IdxField {
  return {
    name: 'authenticator', type: 'object', options: keys.map((key, i) => {
      const a = AUTHENTICATORS[key]!;
      return {
        label: a.displayName, relatesTo: `$.${list}.value[${i}]`,
        value: { form: { value: [{ name: 'id', required: true, value: a.id, mutable: false }, { name: 'methodType', required: false, value: a.methods[0], mutable: false }] } },
      };
    }),
  };
}
