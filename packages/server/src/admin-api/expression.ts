// Okta's filter and search expressions (`status eq "ACTIVE" and profile.lastName sw "Love"`), parsed into a
// `Condition` over a closed set of attributes with typed values. Bounded on purpose: the text, the number of
// comparisons and the nesting are capped, so no expression costs more than a small, parameterised, LIMITed query.
// Anything unexpected is an error that says what and where, for a 400 (never a 5xx, never a guess).
import type { Condition } from '../store/interfaces.js';

export class ExpressionError extends Error {
  override name = 'ExpressionError';
}

/** What an attribute holds: free text, a date (ISO 8601 in, epoch ms out), or one of a fixed set of words. */
export type AttrKind = 'text' | 'date' | { oneOf: readonly string[] };

const MAX_LENGTH = 1024;
const MAX_COMPARISONS = 20;
const MAX_DEPTH = 8;
const OPS = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'sw', 'co', 'pr']);

type Token = { kind: 'word' | 'string' | '(' | ')'; text: string; at: number };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') { i++; continue; }
    if (c === '(' || c === ')') { out.push({ kind: c, text: c, at: i++ }); continue; }
    if (c === '"') {
      const at = i++;
      let text = '';
      for (;;) {
        if (i >= src.length) throw new ExpressionError(`unterminated string starting at position ${at + 1}`);
        const d = src[i++]!;
        if (d === '"') break;
        if (d === '\\') {
          const e = src[i++];
          if (e !== '"' && e !== '\\') throw new ExpressionError(`unknown escape in the string at position ${i - 1}`);
          text += e;
        } else text += d;
      }
      out.push({ kind: 'string', text, at });
      continue;
    }
    const m = /^[A-Za-z0-9_.:+-]+/.exec(src.slice(i, i + 128));
    if (!m) throw new ExpressionError(`unexpected character "${c}" at position ${i + 1}`);
    out.push({ kind: 'word', text: m[0], at: i });
    i += m[0].length;
  }
  return out;
}

/**
 * Parses `src` against `attrs` (attribute name → kind). Keywords (`and`, `or`, operators) are case-insensitive,
 * attribute names are not, as in Okta.
 */
export function parseExpression<A extends string>(src: string, attrs: Record<A, AttrKind>): Condition<A> {
  if (src.length > MAX_LENGTH) throw new ExpressionError(`the expression is longer than ${MAX_LENGTH} characters`);
  const tokens = tokenize(src);
  let pos = 0;
  let comparisons = 0;
  const peek = () => tokens[pos];
  const where = (t: Token | undefined) => (t ? `at position ${t.at + 1}` : 'at the end');
  const isWord = (t: Token | undefined, w: string) => t?.kind === 'word' && t.text.toLowerCase() === w;

  function disjunction(depth: number): Condition<A> {
    const terms = [conjunction(depth)];
    while (isWord(peek(), 'or')) { pos++; terms.push(conjunction(depth)); }
    return terms.length === 1 ? terms[0]! : { op: 'or', terms };
  }
  function conjunction(depth: number): Condition<A> {
    const terms = [primary(depth)];
    while (isWord(peek(), 'and')) { pos++; terms.push(primary(depth)); }
    return terms.length === 1 ? terms[0]! : { op: 'and', terms };
  }
  function primary(depth: number): Condition<A> {
    const t = peek();
    if (t?.kind === '(') {
      if (depth >= MAX_DEPTH) throw new ExpressionError(`parentheses nest deeper than ${MAX_DEPTH}`);
      pos++;
      const inner = disjunction(depth + 1);
      if (peek()?.kind !== ')') throw new ExpressionError(`expected ")" ${where(peek())}`);
      pos++;
      return inner;
    }
    return comparison();
  }
  function comparison(): Condition<A> {
    const a = tokens[pos++];
    if (a?.kind !== 'word') throw new ExpressionError(`expected an attribute ${where(a)}`);
    if (!Object.hasOwn(attrs, a.text)) throw new ExpressionError(`unknown attribute "${a.text.slice(0, 64)}" at position ${a.at + 1}`);
    const attr = a.text as A;
    const o = tokens[pos++];
    const op = o?.kind === 'word' ? o.text.toLowerCase() : '';
    if (!OPS.has(op)) throw new ExpressionError(`expected an operator (eq, ne, gt, ge, lt, le, sw, co, pr) ${where(o)}`);
    if (++comparisons > MAX_COMPARISONS) throw new ExpressionError(`more than ${MAX_COMPARISONS} comparisons`);
    if (op === 'pr') return { op: 'pr', attr };
    const v = tokens[pos++];
    if (v?.kind !== 'string') throw new ExpressionError(`expected a quoted value after "${op}" ${where(v)}`);
    return { op: op as 'eq', attr, value: typedValue(attr, attrs[attr], op, v) };
  }
  function typedValue(attr: string, kind: AttrKind, op: string, v: Token): string | number {
    if (kind === 'date') {
      if (op === 'sw' || op === 'co') throw new ExpressionError(`"${op}" does not apply to the date ${attr}`);
      const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:\d{2})$/.test(v.text) ? Date.parse(v.text) : NaN;
      if (Number.isNaN(ms)) throw new ExpressionError(`${attr} needs an ISO 8601 date and time, not "${v.text.slice(0, 64)}" (position ${v.at + 1})`);
      return ms;
    }
    if (typeof kind === 'object' && !kind.oneOf.includes(v.text) && op !== 'sw' && op !== 'co') {
      throw new ExpressionError(`${attr} is one of ${kind.oneOf.join(', ')}, not "${v.text.slice(0, 64)}"`);
    }
    if (v.text.length > 256) throw new ExpressionError(`a value longer than 256 characters at position ${v.at + 1}`);
    return v.text;
  }

  if (tokens.length === 0) throw new ExpressionError('the expression is empty');
  const c = disjunction(0);
  if (pos < tokens.length) throw new ExpressionError(`unexpected "${tokens[pos]!.text.slice(0, 64)}" ${where(tokens[pos])}`);
  return c;
}
