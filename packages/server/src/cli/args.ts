// A small, strict argument parser for the CLI contract: --flag value, --flag=value, repeatable flags.
// Unknown flags are errors, so a typo never silently does something else. Messages are ours, not node:util's.
import { parseArgs } from 'node:util';

export class UsageError extends Error {
  override name = 'UsageError';
}

export type FlagSpec = Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>;

export function parse<T extends FlagSpec>(argv: string[], spec: T) {
  // `--limit -1`: parseArgs reads "-1" as an option and calls the value ambiguous; a string flag followed by
  // something that starts like a number takes it as its value, so the flag's own check words the answer.
  const args = argv.flatMap((a, i) => {
    const prev = argv[i - 1];
    if (/^-[\d.]/.test(a) && prev?.startsWith('--') && !prev.includes('=') && spec[prev.slice(2)]?.type === 'string') return [];
    const next = argv[i + 1];
    if (next !== undefined && /^-[\d.]/.test(next) && a.startsWith('--') && !a.includes('=') && spec[a.slice(2)]?.type === 'string') return [`${a}=${next}`];
    return [a];
  });
  try {
    const { values, positionals } = parseArgs({ args, options: spec as any, strict: true, allowPositionals: false });
    return { values: values as Record<string, any>, positionals };
  } catch (e) {
    throw new UsageError(wordParseError(e as Error & { code?: string }));
  }
}

function wordParseError(e: Error & { code?: string }): string {
  const flag = /'(-{1,2}[^' ]+)/.exec(e.message)?.[1];
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': return `unknown option ${flag ?? ''}`.trim();
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': return /does not take/.test(e.message) ? `${flag} takes no value` : `${flag} needs a value`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL': return `unexpected argument ${/'([^']*)'/.exec(e.message)?.[1] ?? ''}`.trim();
    default: return e.message.replace(/^TypeError \[[A-Z_]+\]: /, '');
  }
}

export function required(values: Record<string, unknown>, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v === '') throw new UsageError(`--${name} is required`);
  return v;
}

/** An optional flag that must be a whole number from `min` (1 unless given) to `max`: every numeric flag goes through here. */
export function wholeNumber(v: string | undefined, name: string, max: number, min = 1): number | undefined {
  if (v === undefined) return undefined;
  const n = /^\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, not "${v}"`);
  return n;
}
