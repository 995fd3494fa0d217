/**
 * A manifest row's option columns, read by the option definitions of `mxne solve` (commander, the
 * same parsers and defaults): there is one definition of each option. A row's value wins over the
 * batch's command line, which wins over the default.
 */
import { Command, CommanderError, type Option } from 'commander';
import { addRecordingFlags, addSolverFlags } from '../cli/solverFlags.js';

/** Controls of a run, not of a recording: given to `mxne batch` itself. */
const RUN_CONTROLS = new Set(['threads', 'timeout']);

const TRUE = new Set(['true', '1', 'yes']);
const FALSE = new Set(['false', '0', 'no']);

/** A command holding exactly the per-recording options of `mxne solve`. */
export function recordingOptionsCommand(name = 'manifest'): Command {
  const cmd = new Command(name).exitOverride().configureOutput({ writeOut: () => {}, writeErr: () => {} });
  addRecordingFlags(cmd);
  addSolverFlags(cmd);
  return cmd;
}

const reference = recordingOptionsCommand();

function optionFor(key: string): { option: Option; negated: boolean } | null {
  const direct = reference.options.find((o) => o.long === `--${key}`);
  if (direct) return { option: direct, negated: false };
  const negation = reference.options.find((o) => o.long === `--no-${key}`);
  return negation ? { option: negation, negated: true } : null;
}

/** Why a column cannot be an option column (with commander's suggestion), or null when it can. */
export function checkOptionColumn(key: string): string | null {
  if (RUN_CONTROLS.has(key)) return `--${key} is a control of the run, not of a recording: give it to mxne batch`;
  if (optionFor(key) !== null) return null;
  let hint = '';
  try {
    recordingOptionsCommand().parse([`--${key}`], { from: 'user' });
  } catch (e) {
    const m = e instanceof CommanderError ? /Did you mean (--[\w-]+)\?/.exec(e.message) : null;
    if (m) hint = ` (did you mean ${m[1].replace(/^--(no-)?/, '')}?)`;
  }
  return `not an option of mxne solve${hint}`;
}

/** The command-line arguments that say what a row's option cells say. */
function rowArgs(options: Record<string, string>): { args: string[]; problems: Array<[string, string]> } {
  const args: string[] = [];
  const problems: Array<[string, string]> = [];
  for (const [key, value] of Object.entries(options)) {
    const { option, negated } = optionFor(key)!;
    if (option.required || option.optional) { args.push(`${option.long}=${value}`); continue; }
    const v = value.toLowerCase();
    if (!TRUE.has(v) && !FALSE.has(v)) { problems.push([key, `expected true or false, got "${value}"`]); continue; }
    // A column named as the flag (`no-debias`) is set by true; one named as the value (`debias`) by false.
    if (TRUE.has(v) !== negated) args.push(option.long!);
  }
  return { args, problems };
}

/**
 * Parses a row's option cells: the values the row gives (by commander's attribute name), or the
 * problems with their column.
 */
export function parseRowOptions(options: Record<string, string>): { values: Record<string, unknown>; problems: Array<[string, string]> } {
  const { args, problems } = rowArgs(options);
  const values: Record<string, unknown> = {};
  for (const arg of args) {
    // One flag at a time, so each problem names its own column.
    const cmd = recordingOptionsCommand();
    try {
      cmd.parse([arg], { from: 'user' });
    } catch (e) {
      problems.push([arg.replace(/^--(no-)?/, '').split('=')[0], (e as Error).message.replace(/^error: /, '')]);
      continue;
    }
    for (const [k, v] of Object.entries(cmd.opts())) if (cmd.getOptionValueSource(k) === 'cli') values[k] = v;
  }
  return { values, problems };
}
