// A small, strict argument parser for the CLI contract: --flag value, --flag=value, repeatable flags.
// Unknown flags are errors, so a typo never silently does something else.
import { parseArgs } from 'node:util';

export class UsageError extends Error {
  override name = 'UsageError';
}

export type FlagSpec = Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>;

export function parse<T extends FlagSpec>(argv: string[], spec: T) {
  try {
    const { values, positionals } = parseArgs({ args: argv, options: spec as any, strict: true, allowPositionals: false });
    return { values: values as Record<string, any>, positionals };
  } catch (e) {
    throw new UsageError((e as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, ''));
  }
}

export function required(values: Record<string, unknown>, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v === '') throw new UsageError(`--${name} is required`);
  return v;
}

/** An optional flag that must be a whole number from 1 to `max`. */
export function wholeNumber(v: string | undefined, name: string, max: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new UsageError(`--${name} must be a whole number from 1 to ${max}`);
  return n;
}
