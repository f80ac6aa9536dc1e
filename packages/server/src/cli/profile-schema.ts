// gatehouse profile-schema add|list: custom attributes of the user profile. Self-service registration's form is
// built from them (with the base attributes: email, first and last name, locale), input is checked against them,
// and their values travel as claims of the `profile` scope.
import { AdminError } from '../identity/admin.js';
import { parse, required, UsageError, wholeNumber } from './args.js';
import { openAdmin, printJson } from './context.js';

const RESERVED = new Set(['email', 'firstName', 'lastName', 'locale', 'login', 'sub', 'name', 'given_name', 'family_name',
  'preferred_username', 'updated_at', 'email_verified', 'iss', 'aud', 'exp', 'iat', 'amr', 'acr', 'nonce']);

export async function profileSchemaCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'add' && sub !== 'list') throw new UsageError(sub ? `unknown profile-schema command "${sub}"` : 'profile-schema needs a command: add, list');
  const { values } = parse(rest, sub === 'list' ? { db: { type: 'string' } } : {
    db: { type: 'string' }, name: { type: 'string' }, label: { type: 'string' }, required: { type: 'boolean' }, 'max-length': { type: 'string' }, enum: { type: 'string' },
  });
  let attr;
  if (sub === 'add') {
    const name = required(values, 'name');
    if (!/^[a-z][A-Za-z0-9_]{0,49}$/.test(name) || RESERVED.has(name)) throw new UsageError(`--name must be 1-50 letters, digits or _ starting with a lower-case letter, and not a base attribute or standard claim ("${name}")`);
    const label = required(values, 'label');
    if (label.length > 100 || /[\u0000-\u001f]/.test(label)) throw new UsageError('--label must be at most 100 characters, without control characters');
    const enumValues = values.enum !== undefined ? (values.enum as string).split(',').map((v) => v.trim()).filter(Boolean) : null;
    if (enumValues && (enumValues.length === 0 || enumValues.length > 100 || enumValues.some((v) => v.length > 100))) throw new UsageError('--enum must list 1 to 100 values of at most 100 characters, comma-separated');
    attr = { name, label, required: values.required === true, maxLength: wholeNumber(values['max-length'] as string | undefined, 'max-length', 1000) ?? 100, enum: enumValues, createdAt: Date.now() };
  }
  const { store } = await openAdmin(values.db as string | undefined, { readOnly: sub === 'list' });
  try {
    if (attr) {
      if (!(await store.profileSchema.add(attr))) throw new AdminError(`a profile attribute "${attr.name}" already exists`);
      await store.events.append({ type: 'profile_schema.add', at: Date.now(), detail: { name: attr.name } });
    }
    printJson((await store.profileSchema.list()).map((a) => ({ name: a.name, label: a.label, required: a.required, max_length: a.maxLength, enum: a.enum })));
  } finally {
    await store.close();
  }
  return 0;
}
