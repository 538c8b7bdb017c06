import { Command } from 'commander';
import { registerExportCommands } from './commands/export.js';
import { registerServiceCommands } from './commands/service.js';

/**
 * The `straatpraat` command. Each group of subcommands lives in `commands/` and registers itself
 * here, so adding a command touches one line of this file.
 */
export function buildCli(): Command {
  const program = new Command('straatpraat')
    .description('Straatpraat: short polls, news flashes and ideas for Nazareth and Pottenberg.')
    .showHelpAfterError('(run straatpraat --help for usage)')
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  registerServiceCommands(program);
  registerExportCommands(program);
  return program;
}

await buildCli().parseAsync(process.argv);
