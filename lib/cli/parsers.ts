/** Strict option-value parsers for the CLI: a bad value is a usage error (exit 2) naming the option. */
import { InvalidArgumentError } from 'commander';

export function number(value: string): number {
  const x = Number(value);
  if (value.trim() === '' || !Number.isFinite(x)) throw new InvalidArgumentError(`expected a number, got "${value}"`);
  return x;
}

export function integer(value: string): number {
  const x = number(value);
  if (!Number.isInteger(x)) throw new InvalidArgumentError(`expected an integer, got "${value}"`);
  return x;
}

export function alpha(value: string): number | 'sure' {
  return value === 'sure' ? 'sure' : number(value);
}

/** "START,END" where either side may be empty or "none" (= the data's edge); "off" = no baseline. */
export function baseline(value: string): [number | null, number | null] | null {
  if (value === 'off') return null;
  const parts = value.split(',');
  if (parts.length !== 2) throw new InvalidArgumentError(`expected START,END (e.g. none,0) or off, got "${value}"`);
  const side = (s: string) => (s.trim() === '' || s.trim() === 'none' ? null : number(s));
  return [side(parts[0]), side(parts[1])];
}

/** A condition is a name, or a 0-based index when it is all digits. */
export function condition(value: string): string | number {
  return /^\d+$/.test(value) ? Number(value) : value;
}

/**
 * A number, or a word for a special value. The word comes back as is ('none', not null: commander
 * turns a parser's null into ''); solverSettings maps it to the API's value.
 */
export function numberOr<W extends string>(word: W): (s: string) => number | W {
  return (s) => (s === word ? word : number(s));
}

export function positiveInteger(value: string): number {
  const x = integer(value);
  if (x < 1) throw new InvalidArgumentError(`expected a positive integer, got "${value}"`);
  return x;
}

export function positiveNumber(value: string): number {
  const x = number(value);
  if (!(x > 0)) throw new InvalidArgumentError(`expected a positive number, got "${value}"`);
  return x;
}

/** For options that name one file or folder: given twice is a mistake, not "the last one wins". */
export function once(value: string, previous: string | undefined): string {
  if (previous !== undefined) throw new InvalidArgumentError(`given twice ("${previous}" and "${value}"); give it once`);
  return value;
}

export function nonNegativeInteger(value: string): number {
  const x = integer(value);
  if (x < 0) throw new InvalidArgumentError(`expected a non-negative integer, got "${value}"`);
  return x;
}
