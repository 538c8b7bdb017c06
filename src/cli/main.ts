import { existsSync, readFileSync } from 'node:fs';
import { Command, type CommanderError } from 'commander';
import { guarded } from './guarded.js';

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
  // Writing polls and their recurring waves: more `poll` subcommands, added to the group above.
  { names: ['poll'], load: async () => (await import('./commands/polls.js')).registerPollCommands },
  { names: ['queue'], load: async () => (await import('./commands/queue.js')).registerQueueCommands },
  { names: ['token'], load: async () => (await import('./commands/token.js')).registerTokenCommands },
  {
    names: ['data-key'],
    load: async () => (await import('./commands/data-key.js')).registerDataKeyCommands,
  },
  { names: ['staff'], load: async () => (await import('./commands/staff.js')).registerStaffCommands },
  {
    names: ['help-requests', 'audit', 'idea-media'],
    load: async () => (await import('./commands/desk.js')).registerDeskCommands,
  },
  { names: ['ideas'], load: async () => (await import('./commands/ideas.js')).registerIdeaCommands },
  {
    names: ['join-link'],
    load: async () => (await import('./commands/join-link.js')).registerJoinLinkCommands,
  },
];

/** The version in package.json: two folders up in a checkout, three in the build (`dist/src/cli`). */
function version(): string {
  for (const up of ['../../package.json', '../../../package.json']) {
    const file = new URL(up, import.meta.url);
    if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  }
  return 'unknown';
}

/**
 * A usage error — unknown command, bad or missing flag or argument, a group without its subcommand —
 * exits 2 in every command; help and `--version` exit 0. Subcommands inherit this when created.
 */
function exitOnError(error: CommanderError): never {
  process.exit(error.exitCode === 0 ? 0 : 2);
}

/** The `straatpraat` command with the groups `argv` needs (all of them for help or an unknown command). */
export async function buildCli(argv: readonly string[] = process.argv): Promise<Command> {
  const program = new Command('straatpraat')
    .description('Straatpraat: short polls, news flashes and ideas for Nazareth and Pottenberg.')
    .version(version(), '-V, --version', 'print the version')
    .showHelpAfterError('(run straatpraat --help for usage)')
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    // `--version` after a subcommand is the subcommand's own (`poll export X --version 2`).
    .enablePositionalOptions()
    .exitOverride(exitOnError);
  const first = argv[2];
  const wanted = GROUPS.filter((g) => first !== undefined && g.names.includes(first));
  for (const group of wanted.length > 0 ? wanted : GROUPS) (await group.load())(program);
  return program;
}

// Guarded too: a data file read when a command group loads (the parser's lexicon) fails in one line.
await guarded(async () => {
  await (await buildCli()).parseAsync(process.argv);
});
