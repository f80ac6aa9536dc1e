// The password policy's complexity rules (settings.complexity), listed under a new password and ticked as the
// user types. A polite live region says what is still missing once the user pauses, and only when that changes.
import type { Translate } from '../i18n.js';
import { h, uid } from './dom.js';

type Check = (v: string) => boolean;

/** What the password may not contain, when the server says who the user is. */
export interface Who {
  identifier?: string;
  profile?: { firstName?: string; lastName?: string };
}

const count = (re: RegExp, n: number): Check => (v) => (v.match(re)?.length ?? 0) >= n;
// As the server checks it: a part shorter than three characters is not held against the password.
const lacks = (part?: string): Check => (v) => !part || part.length < 3 || !v.toLowerCase().includes(part.toLowerCase());

export function passwordRules(cx: Record<string, unknown>, who: Who, t: Translate) {
  const rules: [string, Check][] = [];
  const n = (k: string) => (typeof cx[k] === 'number' && (cx[k] as number) > 0 ? (cx[k] as number) : 0);
  const add = (k: string, check: Check, param?: number) => rules.push([t('rule.' + k, undefined, String(param)), check]);
  const len = n('minLength');
  if (len) add('minLength', (v) => v.length >= len, len);
  if (n('minLowerCase')) add('minLowerCase', count(/\p{Ll}/gu, n('minLowerCase')));
  if (n('minUpperCase')) add('minUpperCase', count(/\p{Lu}/gu, n('minUpperCase')));
  if (n('minNumber')) add('minNumber', count(/\p{Nd}/gu, n('minNumber')));
  if (n('minSymbol')) add('minSymbol', count(/[^\p{L}\p{N}\s]/gu, n('minSymbol')));
  if (cx.excludeUsername === true) add('excludeUsername', lacks(who.identifier?.split('@')[0]));
  const attrs = Array.isArray(cx.excludeAttributes) ? cx.excludeAttributes : [];
  for (const a of ['firstName', 'lastName'] as const) if (attrs.includes(a)) add(a, lacks(who.profile?.[a]));
  const rep = n('maxConsecutiveRepeatingCharacters');
  if (rep) add('maxConsecutiveRepeatingCharacters', (v) => !new RegExp(`(.)\\1{${rep}}`, 'u').test(v), rep);

  const id = uid('rules');
  const items = rules.map(([text]) => h('li', {}, text));
  const el = h('div', { class: 'gh-rules', id }, h('p', {}, t('rules')), h('ul', {}, ...items));
  const live = h('div', { class: 'gh-sr-only', 'aria-live': 'polite' });
  const unmet = (v: string) => rules.filter(([, c]) => !c(v)).map(([text]) => text);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let said = '';
  return {
    id,
    nodes: rules.length ? [el, live] : [],
    unmet,
    update(v: string) {
      rules.forEach(([, c], i) => items[i]!.classList.toggle('gh-met', c(v)));
      clearTimeout(timer);
      timer = setTimeout(() => {
        const left = unmet(v);
        const text = left.length ? t('rules.todo', undefined, left.join(', ')) : t('rules.done');
        if (text !== said) live.textContent = said = text;
      }, 1200);
    },
  };
}
