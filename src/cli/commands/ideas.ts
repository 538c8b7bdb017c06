import { type Command, InvalidArgumentError } from 'commander';
import { ideaReplyMessage, ideaStatusMessage } from '../../../flows/desk/ideas.js';
import { ideaStatusOf } from '../../../flows/desk/loads.js';
import { IDEA_STATUSES, type IdeaStatus, type IdeaView } from '../../../flows/desk/types.js';
import { recordAudit, staffActor } from '../../desk/audit.js';
import { deliverTo } from '../../desk/deliver.js';
import { addIdeaReply, findIdeas, ideaView, setIdeaStatus } from '../../desk/ideas.js';
import { type StaffMember, staffById } from '../../desk/staff.js';
import { StartupError } from '../../domain/errors.js';
import { AREAS } from '../../domain/resident.js';
import { Outbox } from '../../queue/outbox.js';
import { type CliContext, run } from '../context.js';
import { note, print, when } from '../output.js';

// `ideas list|status|reply`: the same actions as /ideas and /idee in the chat. The wijkteam sees an
// idea's number, area, theme, date, status and text, never its author; a new status or a reply
// reaches the author through the bot in their language, exactly as from the chat. Each action is in
// the audit log (as the staff member given with --staff, else as `cli`).

const ideaNumber = (value: string): string => {
  if (!/^#?\d{1,18}$/.test(value)) throw new InvalidArgumentError('expected an idea number');
  return value.replace(/^#/, '');
};
const staffNumber = (value: string): number => {
  if (!/^\d{1,9}$/.test(value)) throw new InvalidArgumentError('expected a staff number from `staff list`');
  return Number(value);
};
const status = (value: string): IdeaStatus => {
  const s = ideaStatusOf(value);
  if (!s) throw new InvalidArgumentError(`expected one of ${IDEA_STATUSES.join(', ')}`);
  return s;
};
const area = (value: string): string => {
  const a = value.trim().toLowerCase();
  if (!(AREAS as readonly string[]).includes(a))
    throw new InvalidArgumentError(`expected one of ${AREAS.join(', ')}`);
  return a;
};
const searchText = (value: string): string => {
  const s = value.trim();
  if (s.length < 2 || s.length > 200) throw new InvalidArgumentError('expected 2 to 200 characters');
  return s;
};

/** The idea, or exit 1 with one line. */
async function ideaOrStop(ctx: CliContext, what: string, id: string): Promise<IdeaView> {
  const idea = await ideaView(await ctx.db(), id);
  if (!idea) throw new StartupError(`${what}: there is no idea ${id}.`, 1);
  return idea;
}

/** The staff member, or exit 1 with one line. */
async function staffOrStop(ctx: CliContext, what: string, id: number): Promise<StaffMember> {
  const staff = await staffById(await ctx.db(), id);
  if (!staff)
    throw new StartupError(`${what}: there is no staff member ${id} (see straatpraat staff list).`, 1);
  if (staff.role === 'analyst')
    throw new StartupError(`${what}: staff ${id} is an analyst; ideas are for the wijkteam.`, 1);
  return staff;
}

/** `ideas list|status|reply`. */
export function registerIdeaCommands(program: Command): void {
  const ideas = program
    .command('ideas')
    .description('ideas from residents: list, set a status, reply to the author')
    .showHelpAfterError(true);

  ideas
    .command('list')
    .description('ideas, newest first (without --status: nieuw, bekeken and gepland)')
    .option('--status <status>', `only this status (${IDEA_STATUSES.join(', ')})`, status)
    .option('--area <area>', `only this area (${AREAS.join(', ')})`, area)
    .option('--search <text>', 'only ideas whose text holds this', searchText)
    .option('--json', 'print one JSON array')
    .action((opts: { status?: IdeaStatus; area?: string; search?: string; json?: boolean }) =>
      run(async (ctx) => {
        const db = await ctx.db();
        const list = await findIdeas(db, {
          ...(opts.status && { status: opts.status }),
          ...(opts.area && { area: opts.area }),
          ...(opts.search && { search: opts.search }),
          limit: 500,
        });
        await recordAudit(
          db,
          'cli',
          'ideas.list',
          {
            count: list.length,
            ...(opts.status && { status: opts.status }),
            ...(opts.area && { area: opts.area }),
            ...(opts.search && { search: true }),
          },
          new Date(),
        );
        print(
          opts.json,
          list.map(({ language: _l, ...i }) => i),
          () =>
            list.length === 0
              ? ['no ideas match']
              : list.map(
                  (i) =>
                    `#${i.id}\t${i.area ?? 'area unknown'}\t${i.theme}\t${when(i.createdAt, ctx.env.TIME_ZONE)}\t${i.status}\t${i.replies} repl${i.replies === 1 ? 'y' : 'ies'}\t${JSON.stringify(i.text)}`,
                ),
        );
      }),
    );

  ideas
    .command('status')
    .description('set an idea’s status; its author is told (not for nieuw)')
    .argument('<id>', 'the idea number', ideaNumber)
    .argument('<status>', IDEA_STATUSES.join(', '), status)
    .option('--staff <n>', 'act as this staff member (number from `staff list`)', staffNumber)
    .option('--json', 'print the result as JSON')
    .action((id: string, next: IdeaStatus, opts: { staff?: number; json?: boolean }) =>
      run(async (ctx) => {
        await ctx.storage();
        const idea = await ideaOrStop(ctx, 'ideas status', id);
        const staff =
          opts.staff === undefined ? undefined : await staffOrStop(ctx, 'ideas status', opts.staff);
        if (idea.status === next) {
          print(opts.json, { id, status: next, changed: false, authorTold: false }, () => [
            `idea ${id} already has status ${next}; nothing changed`,
          ]);
          return;
        }
        const text = ideaStatusMessage({ texts: ctx.texts() }, idea.language, idea, next);
        const db = await ctx.db();
        const now = new Date();
        const job = await db.transaction().execute(async (tx) => {
          const changed = await setIdeaStatus(tx, id, next, now);
          const delivered =
            changed?.residentId && text
              ? await deliverTo(
                  tx,
                  changed.residentId,
                  { kind: 'text', text },
                  { inboundId: null, seq: 0, now },
                )
              : undefined;
          await recordAudit(
            tx,
            staff ? staffActor(staff.id) : 'cli',
            'idea.status',
            { ideaId: id, status: next, delivered: Boolean(delivered), via: 'cli' },
            now,
          );
          return delivered;
        });
        if (job) await new Outbox(await ctx.queues(), { quietHours: ctx.quietHours() }).enqueue([job]);
        print(opts.json, { id, status: next, changed: true, authorTold: Boolean(job) }, () => [
          `idea ${id} is now ${next}${job ? '; its author is told' : text ? '; its author cannot be reached' : ''}`,
        ]);
        if (next === 'gedaan' && !opts.json)
          note(
            `to tell everyone with a done idea on ${idea.theme}: straatpraat flash send --idea-theme ${idea.theme} --text-nl "…"`,
          );
      }),
    );

  ideas
    .command('reply')
    .description('send the author of an idea a message, signed with the staff member’s first name')
    .argument('<id>', 'the idea number', ideaNumber)
    .argument('<text...>', 'the message')
    .requiredOption('--staff <n>', 'the staff member (number from `staff list`)', staffNumber)
    .option('--json', 'print the result as JSON')
    .action((id: string, words: string[], opts: { staff: number; json?: boolean }) =>
      run(async (ctx) => {
        const text = words.join(' ').trim();
        if (!text) throw new StartupError('ideas reply: the message is empty.');
        await ctx.storage();
        const idea = await ideaOrStop(ctx, 'ideas reply', id);
        const staff = await staffOrStop(ctx, 'ideas reply', opts.staff);
        if (!idea.reachable)
          throw new StartupError(
            `ideas reply: the author of idea ${id} cannot be reached; nothing was sent.`,
            1,
          );
        const message = ideaReplyMessage(
          { texts: ctx.texts() },
          idea.language,
          idea,
          text.slice(0, 2000),
          staff.name,
        );
        const db = await ctx.db();
        const now = new Date();
        const job = await db.transaction().execute(async (tx) => {
          const stored = await addIdeaReply(tx, id, staff.id, text, now);
          const delivered = stored?.residentId
            ? await deliverTo(
                tx,
                stored.residentId,
                { kind: 'text', text: message },
                { inboundId: null, seq: 0, now },
              )
            : undefined;
          await recordAudit(
            tx,
            staffActor(staff.id),
            'idea.reply',
            { ideaId: id, delivered: Boolean(delivered), via: 'cli' },
            now,
          );
          return delivered;
        });
        if (job) await new Outbox(await ctx.queues(), { quietHours: ctx.quietHours() }).enqueue([job]);
        print(opts.json, { id, sent: Boolean(job) }, () => [
          job ? `sent to the author of idea ${id}` : `stored; the author cannot be reached`,
        ]);
      }),
    );
}
