// Small builders that keep IDX forms readable and identical everywhere (spec §7.3).
import type { IdxField, IdxForm } from '@gatehouse/protocol';
import { IDX_ACCEPTS, ION_JSON } from '@gatehouse/protocol';

export const hiddenImmutable = (name: string, value: string): IdxField => ({ name, required: true, value, visible: false, mutable: false });

export const passwordField = (name = 'passcode', label = 'Password'): IdxField => ({ name, label, secret: true });

export const credentialsField = (): IdxField => ({ name: 'credentials', type: 'object', required: true, form: { value: [passwordField()] } });

export function form(name: string, href: string, value: IdxField[], extra: Partial<IdxForm> = {}): IdxForm {
  return { rel: ['create-form'], name, href, method: 'POST', produces: ION_JSON, accepts: IDX_ACCEPTS, value, ...extra };
}
