import { type Command, Option } from 'commander';
import { STAFF_ROLES, type StaffRole } from '../../../flows/desk-types.js';
import { parseEnv } from '../../config/env.js';
import { addStaff, listStaff, removeStaff, StaffRequestError } from '../../desk/staff.js';
import { CHANNELS, type ChannelName } from '../../domain/messages.js';
import { StartupError } from '../../errors.js';
import { guarded } from '../guarded.js';
import { openDatabase } from './export.js';

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

/** Runs a staff change, turning a refused request into one line and exit code 2. */
async function staffWork(
  work: (db: Awaited<ReturnType<typeof openDatabase>>) => Promise<void>,
): Promise<void> {
  const db = await openDatabase(parseEnv());
  try {
    await work(db);
  } catch (error) {
    if (error instanceof StaffRequestError) throw new StartupError(`staff: ${error.message}.`);
    throw error;
  } finally {
    await db.destroy();
  }
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
    .action((opts: { channel: ChannelName; user: string; role: StaffRole; name?: string }) =>
      guarded(() =>
        staffWork(async (db) => {
          const { member, created } = await addStaff(
            db,
            {
              channel: opts.channel,
              user: opts.user,
              role: opts.role,
              ...(opts.name && { name: opts.name }),
            },
            'cli',
            new Date(),
          );
          process.stdout.write(
            `staff ${member.id} ${created ? 'added' : 'updated'}: ${member.channel} ${member.userId} ${member.role}${member.name ? ` ${member.name}` : ''}\n`,
          );
        }),
      ),
    );

  staff
    .command('remove')
    .description('remove a staff member')
    .addOption(channelOption())
    .addOption(userOption())
    .action((opts: { channel: ChannelName; user: string }) =>
      guarded(() =>
        staffWork(async (db) => {
          const removed = await removeStaff(db, opts, 'cli', new Date());
          if (!removed) {
            process.stdout.write(`no staff member ${opts.user} on ${opts.channel}\n`);
            process.exitCode = 1;
            return;
          }
          process.stdout.write(`staff ${removed.id} removed\n`);
        }),
      ),
    );

  staff
    .command('list')
    .description('list staff members')
    .option('--json', 'one JSON array')
    .action((opts: { json?: boolean }) =>
      guarded(() =>
        staffWork(async (db) => {
          const members = await listStaff(db);
          if (opts.json) {
            process.stdout.write(`${JSON.stringify(members)}\n`);
            return;
          }
          if (members.length === 0)
            process.stdout.write('no staff yet: add one with `straatpraat staff add`\n');
          for (const m of members) {
            process.stdout.write(`${m.id}\t${m.channel}\t${m.userId}\t${m.role}\t${m.name ?? ''}\n`);
          }
        }),
      ),
    );
}
