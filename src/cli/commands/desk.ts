import { writeFile } from 'node:fs/promises';
import { type Command, InvalidArgumentError } from 'commander';
import type { Kysely } from 'kysely';
import { closedNoticeForResident } from '../../../flows/desk/help-requests.js';
import type { DeskAction } from '../../../flows/desk/types.js';
import { staffMessageForResident } from '../../../flows/help-request.js';
import { officeHoursOf } from '../../config/env.js';
import type { Database } from '../../db/schema.js';
import { applyDeskAction, deskOutcome } from '../../desk/actions.js';
import { listAudit, recordAudit, staffActor } from '../../desk/audit.js';
import { flagOverdueHelpRequests, helpRequestView, openHelpRequests } from '../../desk/help-requests.js';
import { type StaffMember, staffById } from '../../desk/staff.js';
import { StartupError } from '../../domain/errors.js';
import { parseDateTime } from '../../domain/time.js';
import { ideaMedia } from '../../media/idea-media.js';
import { installDataKey, loadSealer } from '../../privacy/sealed.js';
import { Outbox } from '../../queue/outbox.js';
import { type CliContext, run } from '../context.js';
import { print, when } from '../output.js';

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

/**
 * Carries out one staff action as the engine would (same audit, same delivery), then queues any
 * message to the resident. Needs PostgreSQL and Redis.
 */
async function actAs(
  ctx: CliContext,
  staffId: number,
  requestId: string,
  build: (acting: { staff: StaffMember; db: Kysely<Database> }) => Promise<DeskAction>,
): Promise<number> {
  const env = ctx.env;
  await ctx.storage();
  const db = await ctx.db();
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
  const polls = await ctx.polls();
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
          officeHours: officeHoursOf(env),
          timeZone: env.TIME_ZONE,
        },
        render: { texts: ctx.texts() },
        polls,
        quietHours: ctx.quietHours(),
      },
      out,
    ),
  );
  await new Outbox(await ctx.queues(), { quietHours: ctx.quietHours() }).enqueue(out.deliveries);
  return out.deliveries.length;
}

const ideaNumber = (value: string): string => {
  if (!/^#?\d{1,18}$/.test(value)) throw new InvalidArgumentError('expected an idea number');
  return value.replace(/^#/, '');
};

/** `help-requests` and `audit`: the wijkteam's inbox on the command line, and who did what. */
export function registerDeskCommands(program: Command): void {
  program
    .command('idea-media')
    .description('save the photo or voice message a resident sent with an idea to a file')
    .showHelpAfterError(true)
    .argument('<id>', 'idea number (as /ideas shows it)', ideaNumber)
    .requiredOption('--staff <n>', 'the staff member looking (number from `staff list`)', staffNumber)
    .requiredOption('--out <file>', 'where to write it (an existing file is not overwritten)')
    .option('--json', 'print what was saved as JSON')
    .action((id: string, opts: { staff: number; out: string; json?: boolean }) =>
      run(async (ctx) => {
        installDataKey(loadSealer(ctx.env));
        const db = await ctx.db();
        const staff = await staffById(db, opts.staff);
        if (!staff)
          throw new StartupError(
            `idea-media: there is no staff member ${opts.staff} (see straatpraat staff list).`,
          );
        const media = await ideaMedia(db, id, staff.id);
        if (!media) throw new StartupError(`idea-media: idea ${id} has no photo or voice message stored.`);
        try {
          await writeFile(opts.out, media.bytes, { flag: 'wx', mode: 0o600 });
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          throw new StartupError(
            `idea-media: cannot write ${opts.out}: ${code === 'EEXIST' ? 'the file exists' : (code ?? 'error')}.`,
          );
        }
        await recordAudit(db, staffActor(staff.id), 'idea.media', { ideaId: id }, new Date());
        const saved = {
          idea: id,
          kind: media.kind,
          type: media.mimeType,
          bytes: media.bytes.length,
          file: opts.out,
        };
        print(opts.json, saved, () => [
          `idea ${id}: ${media.kind === 'audio' ? 'voice message' : 'photo'} (${media.mimeType}, ${media.bytes.length} bytes) saved to ${opts.out}`,
        ]);
      }),
    );

  const requests = program
    .command('help-requests')
    .description('help requests from residents (the wijkteam inbox)')
    .showHelpAfterError(true);

  requests
    .command('list')
    .description('requests that are not closed: flagged first, then oldest first')
    .option('--json', 'one JSON array')
    .action((opts: { json?: boolean }) =>
      run(async (ctx) => {
        const env = ctx.env;
        // Subjects are sealed: reading them takes the data key.
        installDataKey(loadSealer(env));
        const list = await openHelpRequests(await ctx.db(), 500);
        print(
          opts.json,
          list.map(({ language: _l, ...r }) => r),
          () =>
            list.length === 0
              ? ['no open help requests']
              : list.map((r) => {
                  const status =
                    r.status === 'taken' ? `taken by ${r.takenBy?.name ?? `staff ${r.takenBy?.id}`}` : 'open';
                  const flag = r.flaggedAt ? '\tFLAGGED: untaken for a working day' : '';
                  return `#${r.id}\t${r.area ?? 'area unknown'}\t${when(r.createdAt, env.TIME_ZONE)}\t${status}${flag}\t${r.subject ? JSON.stringify(r.subject) : '(no subject)'}`;
                }),
        );
      }),
    );

  requests
    .command('take')
    .description('take a request as a staff member')
    .argument('<id>', 'help request number', requestNumber)
    .requiredOption('--staff <n>', 'the staff member (number from `staff list`)', staffNumber)
    .action((id: string, opts: { staff: number }) =>
      run(async (ctx) => {
        await actAs(ctx, opts.staff, id, async () => ({ kind: 'help.take', requestId: id }));
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
      run(async (ctx) => {
        const text = words.join(' ').trim();
        if (!text) throw new StartupError('help-requests reply: the message is empty.');
        const sent = await actAs(ctx, opts.staff, id, async ({ staff, db }) => {
          const request = (await helpRequestView(db, id))!;
          if (!request.reachable) {
            throw new StartupError(
              `help-requests reply: the resident of help request ${id} has stopped; nothing was sent.`,
            );
          }
          const message = staffMessageForResident(
            { texts: ctx.texts() },
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
      run(async (ctx) => {
        await actAs(ctx, opts.staff, id, async ({ db }) => {
          const request = (await helpRequestView(db, id))!;
          const text = closedNoticeForResident({ texts: ctx.texts() }, request.language);
          return { kind: 'help.close', requestId: id, message: { kind: 'text', text } };
        });
        process.stdout.write(`help request ${id} closed\n`);
      }),
    );

  requests
    .command('flag')
    .description('flag requests nobody took within a working day (the scheduler does this too)')
    .action(() =>
      run(async (ctx) => {
        const flagged = await flagOverdueHelpRequests(await ctx.db(), new Date());
        process.stdout.write(
          `${flagged.length} request(s) flagged${flagged.length ? `: ${flagged.map((id) => `#${id}`).join(', ')}` : ''}\n`,
        );
      }),
    );

  program
    .command('audit')
    .description('the audit log of staff actions (who, what, when)')
    .option('--since <time>', 'only from this time on (ISO 8601, e.g. 2026-03-01 or 2026-03-01T09:00Z)')
    .option('--json', 'print one JSON array')
    .action((opts: { since?: string; json?: boolean }) =>
      run(async (ctx) => {
        const env = ctx.env;
        const since = opts.since === undefined ? undefined : parseDateTime(opts.since, env.TIME_ZONE);
        if (opts.since !== undefined && !since) {
          throw new StartupError(
            `audit: --since "${opts.since}" is not a date; expected e.g. 2026-03-01 or 2026-03-01T09:00Z.`,
          );
        }
        const entries = await listAudit(await ctx.db(), since);
        print(opts.json, entries, () =>
          entries.map((e) => {
            const who = e.actorName ? `${e.actor} (${e.actorName})` : e.actor;
            return `${e.at}\t${who}\t${e.action}\t${JSON.stringify(e.details)}`;
          }),
        );
      }),
    );
}
