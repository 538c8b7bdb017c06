import { type Command, InvalidArgumentError } from 'commander';
import type { Kysely } from 'kysely';
import type { DeskAction } from '../../../flows/desk-types.js';
import { staffMessageForResident } from '../../../flows/help-request.js';
import { loadTexts } from '../../../flows/i18n/texts.js';
import { QuietHours } from '../../broadcast/quiet-hours.js';
import { parseDateTime } from '../../broadcast/time.js';
import { parseEnv } from '../../config/env.js';
import { loadPollCatalog } from '../../config/polls.js';
import { createDb } from '../../db/connect.js';
import { prepareStorage } from '../../db/prepare.js';
import type { Database } from '../../db/schema.js';
import { applyDeskAction, deskOutcome } from '../../desk/actions.js';
import { listAudit } from '../../desk/audit.js';
import { flagOverdueHelpRequests, helpRequestView, openHelpRequests } from '../../desk/help-requests.js';
import { type StaffMember, staffById } from '../../desk/staff.js';
import { defaultOfficeHours, type OfficeHours, parseOfficeHours } from '../../domain/office-hours.js';
import { StartupError } from '../../errors.js';
import { installDataKey, loadDataKey } from '../../privacy/sealed.js';
import { Outbox } from '../../queue/outbox.js';
import { Queues } from '../../queue/queues.js';
import { createRedis } from '../../queue/redis.js';
import { guarded } from '../guarded.js';
import { openDatabase } from './export.js';

// `help-requests list|take|reply|close|flag` and `audit`. The command line acts as a
// named staff member (`--staff N`, from `staff list`), so replies are signed with their first name and
// every action is in the audit log under them. Listings show request numbers, never who a resident is.

const requestNumber = (value: string): string => {
  if (!/^#?\d{1,18}$/.test(value)) throw new InvalidArgumentError('expected a help request number');
  return value.replace(/^#/, '');
};
const staffNumber = (value: string): number => {
  if (!/^\d{1,9}$/.test(value)) throw new InvalidArgumentError('expected a staff number from `staff list`');
  return Number(value);
};

function when(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(
    new Date(iso),
  );
}

/**
 * Carries out one staff action as the engine would (same audit, same delivery), then queues any
 * message to the resident. Needs PostgreSQL and Redis.
 */
async function actAs(
  staffId: number,
  requestId: string,
  build: (ctx: { staff: StaffMember; db: Kysely<Database> }) => Promise<DeskAction>,
): Promise<number> {
  const env = parseEnv();
  await prepareStorage(env);
  const db = createDb(env.DATABASE_URL, 2);
  const redis = createRedis(env.REDIS_URL);
  redis.on('error', () => {});
  const queues = new Queues(redis, env.QUEUE_PREFIX, env.INBOUND_PARTITIONS, () => {});
  try {
    const staff = await staffById(db, staffId);
    if (!staff)
      throw new StartupError(
        `help-requests: there is no staff member ${staffId} (see straatpraat staff list).`,
      );
    if (staff.role === 'analyst')
      throw new StartupError(
        `help-requests: staff ${staffId} is an analyst; help requests are for the wijkteam.`,
      );
    const request = await helpRequestView(db, requestId);
    if (!request) throw new StartupError(`help-requests: there is no help request ${requestId}.`);
    if (request.status === 'closed')
      throw new StartupError(`help-requests: help request ${requestId} is closed.`);
    const action = await build({ staff, db });
    const now = new Date();
    const out = deskOutcome(0);
    const officeHours = parseOfficeHours(env.OFFICE_HOURS);
    await db.transaction().execute((tx) =>
      applyDeskAction(
        tx,
        action,
        {
          residentId: '',
          area: null,
          staff: { id: staff.id, role: staff.role, name: staff.name },
          inboundId: null,
          via: 'cli',
          now,
          config: {
            officeHours: 'error' in officeHours ? defaultOfficeHours() : (officeHours as OfficeHours),
            timeZone: env.TIME_ZONE,
          },
          render: { texts: loadTexts() },
          polls: loadPollCatalog(),
        },
        out,
      ),
    );
    const quietHours = new QuietHours(env.QUIET_HOURS_START, env.QUIET_HOURS_END, env.TIME_ZONE);
    await new Outbox(queues, { quietHours }).enqueue(out.deliveries);
    return out.deliveries.length;
  } finally {
    await queues.close().catch(() => {});
    redis.disconnect();
    await db.destroy();
  }
}

/** `help-requests` and `audit`: the wijkteam's inbox on the command line, and who did what. */
export function registerDeskCommands(program: Command): void {
  const requests = program
    .command('help-requests')
    .description('help requests from residents (the wijkteam inbox)')
    .showHelpAfterError(true);

  requests
    .command('list')
    .description('requests that are not closed: flagged first, then oldest first')
    .option('--json', 'one JSON array')
    .action((opts: { json?: boolean }) =>
      guarded(async () => {
        const env = parseEnv();
        // Subjects are sealed: reading them takes the data key.
        installDataKey(loadDataKey(env));
        const db = await openDatabase(env);
        try {
          const list = await openHelpRequests(db, 500);
          if (opts.json) {
            process.stdout.write(`${JSON.stringify(list.map(({ language: _l, ...r }) => r))}\n`);
            return;
          }
          if (list.length === 0) process.stdout.write('no open help requests\n');
          for (const r of list) {
            const status =
              r.status === 'taken' ? `taken by ${r.takenBy?.name ?? `staff ${r.takenBy?.id}`}` : 'open';
            const flag = r.flaggedAt ? '\tFLAGGED: untaken for a working day' : '';
            process.stdout.write(
              `#${r.id}\t${r.area ?? 'area unknown'}\t${when(r.createdAt, env.TIME_ZONE)}\t${status}${flag}\t${r.subject ? JSON.stringify(r.subject) : '(no subject)'}\n`,
            );
          }
        } finally {
          await db.destroy();
        }
      }),
    );

  requests
    .command('take')
    .description('take a request as a staff member')
    .argument('<id>', 'help request number', requestNumber)
    .requiredOption('--staff <n>', 'the staff member (number from `staff list`)', staffNumber)
    .action((id: string, opts: { staff: number }) =>
      guarded(async () => {
        await actAs(opts.staff, id, async () => ({ kind: 'help.take', requestId: id }));
        process.stdout.write(`help request ${id} taken by staff ${opts.staff}\n`);
      }),
    );

  requests
    .command('reply')
    .description('send the resident a message, signed with the staff member’s first name')
    .argument('<id>', 'help request number', requestNumber)
    .argument('<text...>', 'the message')
    .requiredOption('--staff <n>', 'the staff member (number from `staff list`)', staffNumber)
    .action((id: string, words: string[], opts: { staff: number }) =>
      guarded(async () => {
        const text = words.join(' ').trim();
        if (!text) throw new StartupError('help-requests reply: the message is empty.');
        const sent = await actAs(opts.staff, id, async ({ staff, db }) => {
          const request = (await helpRequestView(db, id))!;
          if (!request.reachable) {
            throw new StartupError(
              `help-requests reply: the resident of help request ${id} has stopped; nothing was sent.`,
            );
          }
          const message = staffMessageForResident(
            { texts: loadTexts() },
            request.language,
            text,
            staff.name,
            request.area,
            true,
          );
          return { kind: 'help.reply', requestId: id, text, message: { kind: 'text', text: message } };
        });
        process.stdout.write(
          sent > 0
            ? `sent to the resident of help request ${id}\n`
            : `stored; the resident cannot be reached\n`,
        );
      }),
    );

  requests
    .command('close')
    .description('close a request (it is erased 30 days later)')
    .argument('<id>', 'help request number', requestNumber)
    .requiredOption('--staff <n>', 'the staff member (number from `staff list`)', staffNumber)
    .action((id: string, opts: { staff: number }) =>
      guarded(async () => {
        await actAs(opts.staff, id, async () => ({ kind: 'help.close', requestId: id }));
        process.stdout.write(`help request ${id} closed\n`);
      }),
    );

  requests
    .command('flag')
    .description('flag requests nobody took within a working day (the scheduler does this too)')
    .action(() =>
      guarded(async () => {
        const db = await openDatabase(parseEnv());
        try {
          const flagged = await flagOverdueHelpRequests(db, new Date());
          process.stdout.write(
            `${flagged.length} request(s) flagged${flagged.length ? `: ${flagged.map((id) => `#${id}`).join(', ')}` : ''}\n`,
          );
        } finally {
          await db.destroy();
        }
      }),
    );

  program
    .command('audit')
    .description('the audit log of staff actions (who, what, when)')
    .option('--since <time>', 'only from this time on (ISO 8601, e.g. 2026-03-01 or 2026-03-01T09:00Z)')
    .option('--json', 'one JSON object per line')
    .action((opts: { since?: string; json?: boolean }) =>
      guarded(async () => {
        const env = parseEnv();
        const since = opts.since === undefined ? undefined : parseDateTime(opts.since, env.TIME_ZONE);
        if (opts.since !== undefined && !since) {
          throw new StartupError(
            `audit: --since "${opts.since}" is not a date; expected e.g. 2026-03-01 or 2026-03-01T09:00Z.`,
          );
        }
        const db = await openDatabase(env);
        try {
          for (const e of await listAudit(db, since)) {
            if (opts.json) {
              process.stdout.write(`${JSON.stringify(e)}\n`);
              continue;
            }
            const who = e.actorName ? `${e.actor} (${e.actorName})` : e.actor;
            process.stdout.write(`${e.at}\t${who}\t${e.action}\t${JSON.stringify(e.details)}\n`);
          }
        } finally {
          await db.destroy();
        }
      }),
    );
}
