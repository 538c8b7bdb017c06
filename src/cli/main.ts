import { Command } from 'commander';
import { registerBroadcastCommands } from './commands/broadcast.js';
import { registerDeskCommands } from './commands/desk.js';
import { registerExportCommands } from './commands/export.js';
import { registerJoinLinkCommands } from './commands/join-link.js';
import { registerServiceCommands } from './commands/service.js';
import { registerStaffCommands } from './commands/staff.js';
import { registerTokenCommands } from './commands/token.js';

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
  registerBroadcastCommands(program);
  registerTokenCommands(program);
  registerStaffCommands(program);
  registerDeskCommands(program);
  registerJoinLinkCommands(program);
  return program;
}

await buildCli().parseAsync(process.argv);
