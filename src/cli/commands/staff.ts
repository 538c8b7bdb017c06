import { type Command, Option } from 'commander';
import type { Kysely } from 'kysely';
import { STAFF_ROLES, type StaffRole } from '../../../flows/desk/types.js';
import type { Database } from '../../db/schema.js';
import { addStaff, listStaff, removeStaff, StaffRequestError } from '../../desk/staff.js';
import { StartupError } from '../../domain/errors.js';
import { CHANNELS, type ChannelName } from '../../domain/messages.js';
import { run } from '../context.js';
import { print } from '../output.js';

// `staff add|remove|list`: who may use the chat commands, and as what. Every change is
// in the audit log with the command line as its actor.

const channelOption = () =>
  new Option('--channel <channel>', 'the channel the staff member writes from')
    .choices([...CHANNELS])
    .makeOptionMandatory();
const userOption = () =>
  new Option(
    '--user <id>',
    'Telegram user id, WhatsApp number with country code, or console name',
  ).makeOptionMandatory();

/** Runs a staff change on the database, turning a refused request into one line and exit code 2. */
function staffWork(work: (db: Kysely<Database>) => Promise<void>): Promise<void> {
  return run(async (ctx) => {
    try {
      await work(await ctx.db());
    } catch (error) {
      if (error instanceof StaffRequestError) throw new StartupError(`staff: ${error.message}.`);
      throw error;
    }
  });
}

/** `staff`: the wijkteam, analysts and admins who may use the chat commands. */
export function registerStaffCommands(program: Command): void {
  const staff = program
    .command('staff')
    .description('staff who may use the chat commands (/flash, /hulpvragen, …)')
    .showHelpAfterError(true);

  staff
    .command('add')
    .description('add a staff member, or change the role and name of one already listed')
    .addOption(channelOption())
    .addOption(userOption())
    .addOption(
      new Option('--role <role>', 'wijkteam, analyst or admin')
        .choices([...STAFF_ROLES])
        .makeOptionMandatory(),
    )
    .option('--name <first name>', 'first name, used to sign messages to residents')
    .addOption(
      new Option(
        '--area <area>',
        'the area a wijkteam member works in: told only of its new help requests',
      ).choices(['nazareth', 'pottenberg']),
    )
    .action(
      (opts: {
        channel: ChannelName;
        user: string;
        role: StaffRole;
        name?: string;
        area?: 'nazareth' | 'pottenberg';
      }) =>
        staffWork(async (db) => {
          const { member, created } = await addStaff(
            db,
            {
              channel: opts.channel,
              user: opts.user,
              role: opts.role,
              ...(opts.name && { name: opts.name }),
              ...(opts.area && { area: opts.area }),
            },
            'cli',
            new Date(),
          );
          process.stdout.write(
            `staff ${member.id} ${created ? 'added' : 'updated'}: ${member.channel} ${member.userId} ${member.role}${member.name ? ` ${member.name}` : ''}${member.area ? ` (${member.area})` : ''}\n`,
          );
        }),
    );

  staff
    .command('remove')
    .description('remove a staff member')
    .addOption(channelOption())
    .addOption(userOption())
    .action((opts: { channel: ChannelName; user: string }) =>
      staffWork(async (db) => {
        const removed = await removeStaff(db, opts, 'cli', new Date());
        if (!removed) {
          process.stdout.write(`no staff member ${opts.user} on ${opts.channel}\n`);
          process.exitCode = 1;
          return;
        }
        process.stdout.write(`staff ${removed.id} removed\n`);
      }),
    );

  staff
    .command('list')
    .description('list staff members')
    .option('--json', 'one JSON array')
    .action((opts: { json?: boolean }) =>
      staffWork(async (db) => {
        const members = await listStaff(db);
        print(opts.json, members, () =>
          members.length === 0
            ? ['no staff yet: add one with `straatpraat staff add`']
            : members.map(
                (m) =>
                  `${m.id}\t${m.channel}\t${m.userId}\t${m.role}\t${m.name ?? ''}\t${m.area ?? 'all areas'}`,
              ),
        );
      }),
    );
}
