import { readFileSync } from 'node:fs';
import { type Command, InvalidArgumentError } from 'commander';
import { ZodError } from 'zod';
import { checkPoll } from '../../../flows/polls/validate.js';
import { describeAudience } from '../../broadcast/audience.js';
import { BroadcastRequestError } from '../../broadcast/broadcasts.js';
import { formatDuration, parseDuration } from '../../broadcast/duration.js';
import { WAVE_DEFAULTS } from '../../broadcast/waves.js';
import { StartupError } from '../../domain/errors.js';
import { LANGUAGES } from '../../domain/language.js';
import { CHANNELS } from '../../domain/messages.js';
import { AREAS } from '../../domain/resident.js';
import { parseDateTime } from '../../domain/time.js';
import { loadIndicators } from '../../export/indicators.js';
import { storePollVersion } from '../../polls/catalog.js';
import { describeRule, NTHS, type ScheduleRule, WEEKDAYS } from '../../polls/rule.js';
import {
  listSchedules,
  removeSchedule,
  type Schedule,
  setSchedule,
  skipOccurrence,
} from '../../polls/schedules.js';
import { type CliContext, run } from '../context.js';
import { note, print, when } from '../output.js';

// `poll create`, `poll export`, `poll versions` and `poll schedule …`: writing polls and their
// recurring waves. They join the `poll` group that src/cli/commands/broadcast.ts makes (launch, list,
// status), which loads first.

/** A comma-separated list of allowed values ("nazareth,pottenberg"). */
function listOf<T extends string>(allowed: readonly T[]): (value: string) => T[] {
  return (value) => {
    const items = value
      .split(',')
      .map((v) => v.trim().toLowerCase())
      .filter((v) => v.length > 0);
    const bad = items.filter((v) => !(allowed as readonly string[]).includes(v));
    if (items.length === 0 || bad.length > 0) {
      throw new InvalidArgumentError(`expected one or more of ${allowed.join(', ')}, separated by commas`);
    }
    return [...new Set(items)] as T[];
  };
}

function duration(value: string): number | null {
  const ms = parseDuration(value);
  if (ms === undefined) throw new InvalidArgumentError('expected a duration like 24h, 7d or 90m (or none)');
  return ms;
}

function positiveInt(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1)
    throw new InvalidArgumentError('expected a whole number, 1 or more');
  return Number(value);
}

function days(value: string): number {
  const match = /^(\d+)d?$/.exec(value.trim());
  if (!match || Number(match[1]) > 3650) throw new InvalidArgumentError('expected a number of days, e.g. 30');
  return Number(match[1]);
}

/** "first monday", "first-monday", "last friday". */
function onDay(value: string): Pick<ScheduleRule, 'nth' | 'weekday'> {
  const [nth, weekday, ...rest] = value
    .trim()
    .toLowerCase()
    .split(/[\s-]+/);
  if (
    rest.length > 0 ||
    !(NTHS as readonly string[]).includes(nth ?? '') ||
    !(WEEKDAYS as readonly string[]).includes(weekday ?? '')
  ) {
    throw new InvalidArgumentError(
      `expected "<${NTHS.join('|')}> <weekday>", e.g. "first monday" or last-friday`,
    );
  }
  return { nth: nth as ScheduleRule['nth'], weekday: weekday as ScheduleRule['weekday'] };
}

function clock(value: string): string {
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(value)) throw new InvalidArgumentError('expected a time like 10:00');
  return value;
}

/** Runs a poll command; a request that cannot be carried out becomes one line and exit code 2. */
function runPoll(what: string, work: (ctx: CliContext) => Promise<void>): Promise<void> {
  return run(async (ctx) => {
    try {
      await work(ctx);
    } catch (error) {
      if (error instanceof BroadcastRequestError) throw new StartupError(`${what}: ${error.message}.`);
      if (error instanceof ZodError) {
        const issue = error.issues[0]!;
        throw new StartupError(`${what}: ${issue.path.join('.') || 'input'} is invalid: ${issue.message}.`);
      }
      throw error;
    }
  });
}

function scheduleLines(s: Schedule, timeZone: string): string[] {
  return [
    `${s.poll.padEnd(16)} ${describeRule(s.rule)} (${timeZone})`,
    `    to:        ${describeAudience(s.audience)}${s.minDaysJoined > 0 ? ` · joined ${s.minDaysJoined} days before` : ''}`,
    `    reminder:  ${s.remindAfterMs === null ? 'none' : `after ${formatDuration(s.remindAfterMs)}`}; closes after ${formatDuration(s.closeAfterMs)}`,
    `    next wave: ${when(s.next, timeZone)}`,
  ];
}

/** `poll create|export|versions|schedule`, added to the `poll` group. */
export function registerPollCommands(program: Command): void {
  const poll =
    program.commands.find((c) => c.name() === 'poll') ??
    program.command('poll').description('polls and their waves').showHelpAfterError(true);

  poll
    .command('create')
    .description(
      'store a poll written as JSON (flows/polls/schema.ts): a new code, or a new version of an existing one',
    )
    .requiredOption('--file <file>', 'the poll as JSON')
    .option('--json', 'print the result (or the problems) as JSON')
    .action((opts: { file: string; json?: boolean }) =>
      runPoll('poll create', async (ctx) => {
        let text: string;
        try {
          text = readFileSync(opts.file, 'utf8');
        } catch (error) {
          throw new StartupError(
            `poll create: cannot read ${opts.file} (${(error as NodeJS.ErrnoException).code ?? 'error'}).`,
          );
        }
        let raw: unknown;
        try {
          raw = JSON.parse(text);
        } catch (error) {
          const issues = [
            { path: [], field: '', message: `geen geldige JSON (${(error as Error).message})` },
          ];
          refuse(opts, issues);
          return;
        }
        const indicators = loadIndicators().indicators.map((i) => i.code);
        const check = checkPoll(raw, { indicators });
        if (!check.ok) {
          refuse(opts, check.issues);
          return;
        }
        const db = await ctx.db();
        const stored = await db
          .transaction()
          .execute((tx) =>
            storePollVersion(tx, check.poll, { source: 'cli', actor: 'cli', compareWith: 'latest' }),
          );
        const indicatorCodes = [
          ...new Set(check.poll.questions.flatMap((q) => (q.indicator ? [q.indicator] : []))),
        ];
        print(opts.json, { ok: true, ...stored, indicators: indicatorCodes }, () => [
          stored.created
            ? `poll ${stored.poll}: version ${stored.version} stored${stored.version > 1 ? ' (new waves get it; earlier answers keep theirs)' : ''}`
            : `poll ${stored.poll}: unchanged, still version ${stored.version}`,
          ...(indicatorCodes.length > 0 ? [`  indicators: ${indicatorCodes.join(', ')}`] : []),
          `  launch it with: straatpraat poll launch ${stored.poll}`,
        ]);
      }),
    );

  poll
    .command('export')
    .description('print a poll as JSON (its latest version, or the one asked for)')
    .argument('<poll>', 'the poll code (see poll list)')
    .option('--version <n>', 'this version', positiveInt)
    .action((code: string, opts: { version?: number }) =>
      runPoll('poll export', async (ctx) => {
        const catalog = await ctx.pollCatalog();
        const found =
          opts.version === undefined ? catalog.current.get(code) : catalog.version(code, opts.version);
        if (!found) {
          const versions = catalog.history(code).map((v) => v.version);
          throw new BroadcastRequestError(
            versions.length === 0
              ? `unknown poll "${code}"; known: ${[...catalog.current.keys()].join(', ')}`
              : `poll "${code}" has no version ${opts.version}; it has ${versions.join(', ')}`,
          );
        }
        const { version: _, ...definition } = found;
        process.stdout.write(`${JSON.stringify(definition, null, 2)}\n`);
      }),
    );

  poll
    .command('versions')
    .description('the versions of a poll: when, by whom, from where')
    .argument('<poll>', 'the poll code')
    .option('--json', 'print the list as JSON')
    .action((code: string, opts: { json?: boolean }) =>
      runPoll('poll versions', async (ctx) => {
        const history = (await ctx.pollCatalog()).history(code);
        if (history.length === 0) throw new BroadcastRequestError(`unknown poll "${code}"`);
        print(opts.json, history, () =>
          history.map(
            (v) =>
              `${code} version ${v.version}: ${v.source} by ${v.createdBy}, ${when(v.createdAt, ctx.env.TIME_ZONE)}`,
          ),
        );
      }),
    );

  const schedule = poll
    .command('schedule')
    .description('recurring waves: a poll opens on a rule (every month or quarter)')
    .showHelpAfterError(true);

  schedule
    .command('set')
    .description('set (or replace) the schedule of a poll')
    .argument('<poll>', 'the poll code')
    .requiredOption('--every <period>', 'month or quarter (January, April, July, October)', (v: string) => {
      if (v !== 'month' && v !== 'quarter') throw new InvalidArgumentError('expected month or quarter');
      return v;
    })
    .requiredOption(
      '--on <day>',
      'which day of the month: "first monday" … "fourth friday", "last sunday"',
      onDay,
    )
    .requiredOption('--at <time>', 'the time the wave opens (HH:MM in TIME_ZONE)', clock)
    .option('--joined-days <days>', 'only residents who joined at least this many days before', days)
    .option('--area <areas>', `only these areas (${AREAS.join(', ')})`, listOf(AREAS))
    .option('--lang <languages>', `only these languages (${LANGUAGES.join(', ')})`, listOf(LANGUAGES))
    .option('--channel <channels>', `only these channels (${CHANNELS.join(', ')})`, listOf(CHANNELS))
    .option(
      '--remind-after <duration>',
      `remind those who did not finish after this long, or none (default ${formatDuration(WAVE_DEFAULTS.remindAfterMs)})`,
      duration,
    )
    .option(
      '--close-after <duration>',
      `stop taking answers after this long (default ${formatDuration(WAVE_DEFAULTS.closeAfterMs)})`,
      duration,
    )
    .option('--json', 'print the schedule as JSON')
    .action(function (
      this: Command,
      code: string,
      opts: {
        every: ScheduleRule['every'];
        on: Pick<ScheduleRule, 'nth' | 'weekday'>;
        at: string;
        joinedDays?: number;
        area?: (typeof AREAS)[number][];
        lang?: (typeof LANGUAGES)[number][];
        channel?: (typeof CHANNELS)[number][];
        remindAfter?: number | null;
        closeAfter?: number | null;
        json?: boolean;
      },
    ) {
      if (opts.closeAfter === null)
        this.error("error: option '--close-after' needs a duration", { exitCode: 2 });
      return runPoll('poll schedule set', async (ctx) => {
        const db = await ctx.db();
        const timeZone = ctx.env.TIME_ZONE;
        const s = await setSchedule(
          db,
          {
            poll: code,
            rule: { every: opts.every, ...opts.on, at: opts.at },
            audience: {
              ...(opts.area && { areas: opts.area }),
              ...(opts.lang && { languages: opts.lang }),
              ...(opts.channel && { channels: opts.channel }),
            },
            ...(opts.joinedDays !== undefined && { minDaysJoined: opts.joinedDays }),
            ...(opts.remindAfter !== undefined && { remindAfterMs: opts.remindAfter }),
            ...(typeof opts.closeAfter === 'number' && { closeAfterMs: opts.closeAfter }),
          },
          { actor: 'cli', now: new Date(), timeZone },
        );
        if (ctx.quietHours().isQuiet(new Date(s.next))) {
          note(
            `poll schedule set: ${opts.at} is in quiet hours (${ctx.env.QUIET_HOURS_START}–${ctx.env.QUIET_HOURS_END}); the invitations wait until ${ctx.env.QUIET_HOURS_END}.`,
          );
        }
        print(opts.json, s, () => scheduleLines(s, timeZone));
      });
    });

  schedule
    .command('list')
    .description('every schedule with its next wave')
    .option('--json', 'print the list as JSON')
    .action((opts: { json?: boolean }) =>
      runPoll('poll schedule list', async (ctx) => {
        const timeZone = ctx.env.TIME_ZONE;
        const list = await listSchedules(await ctx.db(), { now: new Date(), timeZone });
        print(opts.json, list, () =>
          list.length === 0 ? ['no schedules'] : list.flatMap((s) => scheduleLines(s, timeZone)),
        );
      }),
    );

  schedule
    .command('skip')
    .description("skip a poll's next recurring wave (or the one at --occurrence)")
    .argument('<poll>', 'the poll code')
    .option('--occurrence <time>', 'the occurrence to skip (ISO; without an offset in TIME_ZONE)')
    .option('--json', 'print the result as JSON')
    .action(function (this: Command, code: string, opts: { occurrence?: string; json?: boolean }) {
      return runPoll('poll schedule skip', async (ctx) => {
        const timeZone = ctx.env.TIME_ZONE;
        let occurrence: Date | undefined;
        if (opts.occurrence !== undefined) {
          occurrence = parseDateTime(opts.occurrence, timeZone);
          if (!occurrence)
            this.error(
              `error: option '--occurrence <time>' argument '${opts.occurrence}' is invalid. expected an ISO date and time, e.g. 2027-01-04T10:00`,
              { exitCode: 2 },
            );
        }
        const db = await ctx.db();
        const skipped = await skipOccurrence(db, code, {
          actor: 'cli',
          now: new Date(),
          timeZone,
          ...(occurrence && { occurrence }),
        });
        const [s] = await listSchedules(db, { now: new Date(), timeZone }, code);
        print(opts.json, { poll: code, skipped: skipped.toISOString(), next: s?.next ?? null }, () => [
          `poll ${code}: the wave of ${when(skipped, timeZone)} is skipped`,
          `  next wave: ${when(s?.next ?? null, timeZone)}`,
        ]);
      });
    });

  schedule
    .command('remove')
    .description("remove a poll's schedule (its waves so far stay)")
    .argument('<poll>', 'the poll code')
    .action((code: string) =>
      runPoll('poll schedule remove', async (ctx) => {
        const removed = await removeSchedule(await ctx.db(), code, { actor: 'cli', now: new Date() });
        if (!removed) throw new BroadcastRequestError(`poll "${code}" has no schedule`);
        process.stdout.write(`poll ${code}: schedule removed\n`);
      }),
    );
}

/** Lists every problem on stderr (and as JSON with --json) and sets exit code 1. */
function refuse(
  opts: { file: string; json?: boolean },
  issues: readonly { field: string; message: string; path: (string | number)[] }[],
): void {
  if (opts.json) process.stdout.write(`${JSON.stringify({ ok: false, issues })}\n`);
  process.stderr.write(
    `poll create: ${opts.file} is not a valid poll (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n${issues
      .map((i) => `  ${i.field ? `${i.field}: ` : ''}${i.message}`)
      .join('\n')}\n`,
  );
  process.exitCode = 1;
}
