/**
 * The options a job may carry: those of `mxne solve`, read from its own commander definitions
 * (names, defaults, choices, parsers), so the service and the CLI cannot drift apart. A JSON value
 * is handed to the CLI's parser as the text a user would type (null is the word "none", an array
 * is joined with commas), then the solver's own normalisation checks the ranges.
 */
import { Command, type Option } from 'commander';
import { solverSettings, type SolverFlags } from '../cli/solverFlags.js';
import { solveCommand } from '../cli/solveCommand.js';
import { addSparseSolverFlags } from '../cli/sparseSolverFlags.js';
import { InputError } from '../errors.js';
import { didYouMean, normalizeMixedNormOptions } from '../sparse/mixedNormOptions.js';
import type { SolveJob } from '../workflow/solveFiles.js';
import { pictureSettings } from '../cli/pictureFlags.js';

/** Flags of `solve` that are not options of a job: its files, its output and terminal, the process's limits. */
const NOT_JOB_OPTIONS = new Set(['fwd', 'evoked', 'cov', 'out', 'json', 'quiet', 'verbose', 'threads', 'timeout']);

/** The pool runs the seed workflow (MxNE/irMxNE): the other solvers' flags are not offered yet. */
const OTHER_SOLVERS = new Set(addSparseSolverFlags(new Command()).options.map((o) => o.attributeName()).filter((n) => n !== 'solver'));

const OPTIONS: ReadonlyMap<string, Option> = new Map(
  solveCommand().options
    .filter((o) => !NOT_JOB_OPTIONS.has(o.attributeName()) && !OTHER_SOLVERS.has(o.attributeName()))
    .map((o) => [o.attributeName(), o]),
);

export const JOB_OPTION_NAMES: readonly string[] = [...OPTIONS.keys()];

const isSwitch = (o: Option) => !o.required && !o.optional;

/** JSON schema of the `options` object (fastify validates it; values are checked by parseJobOptions). */
export function jobOptionsSchema(): object {
  const properties: Record<string, object> = {};
  for (const [name, o] of OPTIONS) {
    const description = o.description;
    if (isSwitch(o)) properties[name] = { type: 'boolean', description };
    else if (o.argChoices) properties[name] = { type: 'string', enum: o.argChoices, description };
    else properties[name] = { type: ['number', 'string', 'null', 'array'], items: { type: ['number', 'null'] }, maxItems: 2, description };
  }
  return { type: 'object', additionalProperties: false, properties };
}

/** The unknown key's 400: what is known, and the closest name. */
export function unknownOptionError(key: string): InputError {
  return new InputError(`options.${key}`, `one of ${JOB_OPTION_NAMES.join(', ')}`, `unknown option "${key}"${didYouMean(key, JOB_OPTION_NAMES)}`);
}

function asCliText(v: unknown): string {
  if (v === null) return 'none';
  if (Array.isArray(v)) return v.map((x) => (x === null ? 'none' : String(x))).join(',');
  return String(v);
}

export type JobSettings = Pick<SolveJob, 'condition' | 'baseline' | 'tmin' | 'tmax' | 'weights' | 'mixedNorm' | 'report' | 'subjectsDir' | 'subject' | 'morphTo'>;

/** Validates a job's options (InputError naming `options.<name>`) and resolves them with the CLI's defaults. */
export function parseJobOptions(given: Record<string, unknown> = {}): JobSettings {
  const flags: Record<string, unknown> = {};
  for (const [name, o] of OPTIONS) flags[name] = isSwitch(o) && o.negate ? true : o.defaultValue;
  for (const [name, v] of Object.entries(given)) {
    const o = OPTIONS.get(name);
    if (o === undefined) throw unknownOptionError(name);
    if (v === undefined) continue;
    if (isSwitch(o)) {
      if (typeof v !== 'boolean') throw new InputError(`options.${name}`, 'true or false', JSON.stringify(v));
      flags[name] = v;
      continue;
    }
    const text = asCliText(v);
    if (o.argChoices && !o.argChoices.includes(text)) throw new InputError(`options.${name}`, `one of ${o.argChoices.join(', ')}`, JSON.stringify(v));
    try {
      // A repeatable option's parser (--condition) folds into its default ([]), as commander does.
      flags[name] = o.parseArg ? o.parseArg(text, o.defaultValue as never) : text;
    } catch (e) {
      throw new InputError(`options.${name}`, o.flags, JSON.stringify(v), (e as Error).message);
    }
  }
  if (flags.solver !== undefined && flags.solver !== 'mxne') {
    throw new InputError('options.solver', '"mxne" (the service runs MxNE/irMxNE)', JSON.stringify(flags.solver));
  }
  const f = flags as unknown as SolverFlags & Pick<SolveJob, 'baseline' | 'tmin' | 'tmax'> & { condition: Array<string | number> };
  // As `mxne solve --no-report` (and batch rows): a job writes no report.html.
  const settings = { condition: f.condition[0] ?? 0, baseline: f.baseline, tmin: f.tmin, tmax: f.tmax, ...solverSettings(f), ...pictureSettings({ report: false }) };
  try {
    normalizeMixedNormOptions(settings.mixedNorm);
  } catch (e) {
    if (e instanceof InputError) throw new InputError(`options.${e.field}`, e.expected, e.received);
    throw e;
  }
  return settings;
}
