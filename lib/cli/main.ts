#!/usr/bin/env node
/** The `mxne` command. */
import { Command, CommanderError } from 'commander';
import { batchCollectCommand } from './batchCollectCommand.js';
import { batchCommand } from './batchCommand.js';
import { demoCommand } from './demoCommand.js';
import { doctorCommand } from './doctorCommand.js';
import { EXIT_BAD_INPUT, EXIT_OK, errorLine, exitCodeFor, type ErrorContext } from './exitCodes.js';
import { reportCommand } from './reportCommand.js';
import { serveCommand } from './serveCommand.js';
import { solveCommand } from './solveCommand.js';
import { version } from '../version.js';
import { workerCommand } from './workerCommand.js';

const FILE_OPTIONS = ['--fwd', '--evoked', '--cov', '--out'];

/** Which option named which file, and --verbose, read from the arguments as given. */
function errorContext(argv: string[]): ErrorContext {
  const files: Record<string, string> = {};
  argv.forEach((a, k) => {
    const [flag, inline] = a.split(/=(.*)/s);
    if (FILE_OPTIONS.includes(flag)) files[flag] = inline ?? argv[k + 1];
  });
  return { files, verbose: argv.includes('--verbose') || argv.includes('-v') };
}

/**
 * A reader that stops early (`mxne … | head -1`) closes the pipe: the results are already written,
 * so that is not a failure and not worth a stack trace.
 */
function quietOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : EXIT_OK);
    throw e;
  });
}

export async function main(argv: string[]): Promise<number> {
  const program = new Command('mxne')
    .description('Sparse MEG/EEG source imaging (MxNE, irMxNE) with MNE-Python\'s numbers')
    .version(version())
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .addCommand(solveCommand())
    .addCommand(demoCommand())
    .addCommand(doctorCommand())
    .addCommand(batchCommand())
    .addCommand(batchCollectCommand())
    .addCommand(reportCommand())
    .addCommand(serveCommand())
    .addCommand(workerCommand());
  for (const cmd of program.commands) cmd.exitOverride();
  try {
    await program.parseAsync(argv);
    return EXIT_OK;
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help' ? EXIT_OK : EXIT_BAD_INPUT;
    }
    process.stderr.write(`${errorLine(e, errorContext(argv))}\n`);
    if (process.env.MXNE_DEBUG) process.stderr.write(`${(e as Error).stack}\n`);
    return exitCodeFor(e);
  }
}

if (require.main === module) {
  quietOnClosedPipe(process.stdout);
  quietOnClosedPipe(process.stderr);
  main(process.argv).then((code) => { process.exitCode = code; });
}
