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
