#!/usr/bin/env node
/** The `mxne` command. */
import { Command, CommanderError } from 'commander';
import { demoCommand } from './demoCommand.js';
import { doctorCommand } from './doctorCommand.js';
import { EXIT_BAD_INPUT, EXIT_OK, errorLine, exitCodeFor } from './exitCodes.js';
import { solveCommand } from './solveCommand.js';
import { version } from '../version.js';

export async function main(argv: string[]): Promise<number> {
  const program = new Command('mxne')
    .description('Sparse MEG/EEG source imaging (MxNE, irMxNE) with MNE-Python\'s numbers')
    .version(version())
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .addCommand(solveCommand())
    .addCommand(demoCommand())
    .addCommand(doctorCommand());
  for (const cmd of program.commands) cmd.exitOverride();
  try {
    await program.parseAsync(argv);
    return EXIT_OK;
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help' ? EXIT_OK : EXIT_BAD_INPUT;
    }
    process.stderr.write(`${errorLine(e)}\n`);
    if (process.env.MXNE_DEBUG) process.stderr.write(`${(e as Error).stack}\n`);
    return exitCodeFor(e);
  }
}

if (require.main === module) {
  main(process.argv).then((code) => { process.exitCode = code; });
}
