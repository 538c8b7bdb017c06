import { Command } from 'commander';

type Register = (program: Command) => void;

/**
 * Command groups, each in `commands/`, loaded only when needed: `straatpraat start` should not pay
 * for the export libraries, nor `straatpraat export` for the channels. Adding a command group adds
 * one entry here, listing its top-level command names.
 */
const GROUPS: { names: string[]; load: () => Promise<Register> }[] = [
  {
    names: ['start', 'migrate', 'chat'],
    load: async () => (await import('./commands/service.js')).registerServiceCommands,
  },
  { names: ['export'], load: async () => (await import('./commands/export.js')).registerExportCommands },
  {
    names: ['flash', 'poll', 'session', 'purge'],
    load: async () => (await import('./commands/broadcast.js')).registerBroadcastCommands,
  },
  { names: ['queue'], load: async () => (await import('./commands/queue.js')).registerQueueCommands },
  { names: ['token'], load: async () => (await import('./commands/token.js')).registerTokenCommands },
  { names: ['staff'], load: async () => (await import('./commands/staff.js')).registerStaffCommands },
  {
    names: ['help-requests', 'audit'],
    load: async () => (await import('./commands/desk.js')).registerDeskCommands,
  },
  {
    names: ['join-link'],
    load: async () => (await import('./commands/join-link.js')).registerJoinLinkCommands,
  },
];

/** The `straatpraat` command with the groups `argv` needs (all of them for help or an unknown command). */
export async function buildCli(argv: readonly string[] = process.argv): Promise<Command> {
  const program = new Command('straatpraat')
    .description('Straatpraat: short polls, news flashes and ideas for Nazareth and Pottenberg.')
    .showHelpAfterError('(run straatpraat --help for usage)')
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  const first = argv[2];
  const wanted = GROUPS.filter((g) => first !== undefined && g.names.includes(first));
  for (const group of wanted.length > 0 ? wanted : GROUPS) (await group.load())(program);
  return program;
}

await (await buildCli()).parseAsync(process.argv);
