import { readFile, stat } from 'node:fs/promises';
import { SingleBar } from 'cli-progress';
import { type Command, InvalidArgumentError } from 'commander';
import type { Kysely } from 'kysely';
import { ZodError } from 'zod';
import { THEMES } from '../../../flows/asks.js';
import type { Poll } from '../../../flows/polls/schema.js';
import { type Audience, describeAudience } from '../../broadcast/audience.js';
import {
  type BroadcastDeps,
  BroadcastNotFoundError,
  BroadcastRequestError,
  BroadcastStateError,
} from '../../broadcast/broadcasts.js';
import {
  CorrectionNotFoundError,
  CorrectionStateError,
  cancelFlash,
  cancelSession,
  cancelWave,
  closeWave,
  editFlash,
} from '../../broadcast/corrections.js';
import { formatDuration, parseDuration } from '../../broadcast/duration.js';
import { sendFlash } from '../../broadcast/flashes.js';
import { flashReport } from '../../broadcast/reports.js';
import { announceSession, sendSessionSummary, sessionQuestions } from '../../broadcast/sessions.js';
import { draftWaveResults } from '../../broadcast/wave-draft.js';
import { launchWave, listPolls, WAVE_DEFAULTS, waveReport } from '../../broadcast/waves.js';
import type { Env } from '../../config/env.js';
import { loadNewsTopics } from '../../config/news-topics.js';
import type { Database } from '../../db/schema.js';
import { recordAudit } from '../../desk/audit.js';
import { sleep } from '../../domain/backoff.js';
import { StartupError } from '../../domain/errors.js';
import { LANGUAGES, type Localized, languageInfo } from '../../domain/language.js';
import { CHANNELS } from '../../domain/messages.js';
import { type AgeGroup, AREAS, AUDIENCE_AGE_GROUPS } from '../../domain/resident.js';
import { parseDateTime } from '../../domain/time.js';
import { ExportPool } from '../../export/pool.js';
import { waveResults, waveResultsLines, waveResultsMethod } from '../../export/wave-results.js';
import { FLASH_IMAGE_MAX_BYTES } from '../../media/flash-images.js';
import { purge, retentionOf } from '../../scheduler/purge.js';
import { type CliContext, run } from '../context.js';
import { print, when } from '../output.js';

// `flash`, `poll`, `session` and `purge`. The work itself lives in src/broadcast, shared
// with the staff chat commands; this file reads flags, prints, and shows progress.

/** A command group whose subcommands report bad flags with their own usage (and exit code 2). */
function group(program: Command, name: string, description: string): Command {
  return program.command(name).description(description).showHelpAfterError(true);
}

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

/** Age groups as typed: the codes, with "65+" for 65plus. */
function ageGroupList(value: string): AgeGroup[] {
  const items = value
    .split(',')
    .map((v) => v.trim().toLowerCase())
    .filter((v) => v.length > 0)
    .map((v) => (v === '65+' ? '65plus' : v));
  const bad = items.filter((v) => !(AUDIENCE_AGE_GROUPS as readonly string[]).includes(v));
  if (items.length === 0 || bad.length > 0) {
    throw new InvalidArgumentError(
      `expected one or more of ${AUDIENCE_AGE_GROUPS.join(', ')} (or 65+), separated by commas`,
    );
  }
  return [...new Set(items)] as AgeGroup[];
}

/** Topic codes as typed; which exist is checked against the topics file once it is read. */
function topicList(value: string): string[] {
  const items = value
    .split(',')
    .map((v) => v.trim().toLowerCase())
    .filter((v) => v.length > 0);
  if (items.length === 0)
    throw new InvalidArgumentError('expected one or more topic codes, separated by commas');
  return [...new Set(items)];
}

/** Stops with the usage when a topic is not in the news topics file. */
function checkTopics(command: Command, topics: string[] | undefined, env: Env): void {
  if (!topics) return;
  const known = loadNewsTopics(env).map((t) => t.code);
  const bad = topics.filter((t) => !known.includes(t));
  if (bad.length > 0) {
    command.error(
      `error: option '--topic <topics>' argument '${bad.join(',')}' is invalid. expected one or more of ${known.join(', ')} (the news topics file), separated by commas`,
      { exitCode: 2 },
    );
  }
}

function duration(value: string): number | null {
  const ms = parseDuration(value);
  if (ms === undefined) throw new InvalidArgumentError('expected a duration like 24h, 7d or 90m (or none)');
  return ms;
}

const uuid = (what: string) => (value: string) => {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) {
    throw new InvalidArgumentError(`expected a ${what} id (a uuid)`);
  }
  return value.toLowerCase();
};

interface AudienceFlags {
  area?: Audience['areas'];
  lang?: Audience['languages'];
  channel?: Audience['channels'];
  topic?: string[];
  ageGroup?: AgeGroup[];
  answeredWave?: string;
  ideaTheme?: Audience['ideaTheme'];
}

/** Commander's name of a language's text flag: `--text-ar` is `textAr`. */
const textKey = (language: string) => `text${language[0]!.toUpperCase()}${language.slice(1)}`;

/**
 * `--text-<code>` for every resident language ("the text in Arabic"): Dutch required or not, each
 * other language optional (its residents get the Dutch text without it).
 */
function withLanguageTexts(command: Command, what: string, dutch: 'required' | 'optional'): Command {
  if (dutch === 'required') command.requiredOption('--text-nl <text>', `${what} in Dutch (required)`);
  else command.option('--text-nl <text>', `${what} in Dutch`);
  for (const language of LANGUAGES.filter((l) => l !== 'nl'))
    command.option(
      `--text-${language} <text>`,
      `${what} in ${languageInfo(language).staff.en} (else ${languageInfo(language).staff.en} residents get the Dutch text)`,
    );
  return command;
}

/** The texts of the `--text-<code>` flags: Dutch and each language given; undefined without Dutch. */
function textsOfFlags(opts: object): Localized | undefined {
  const flags = opts as Record<string, unknown>;
  if (typeof flags.textNl !== 'string') return undefined;
  const text: Localized = { nl: flags.textNl };
  for (const language of LANGUAGES) {
    const value = flags[textKey(language)];
    if (language !== 'nl' && typeof value === 'string') text[language] = value;
  }
  return text;
}

/** The first `--text-<code>` flag given for a language other than Dutch, as typed. */
function otherTextFlag(opts: object): string | undefined {
  const flags = opts as Record<string, unknown>;
  const language = LANGUAGES.find((l) => l !== 'nl' && typeof flags[textKey(l)] === 'string');
  return language && `--text-${language}`;
}

function withAudienceFlags(command: Command): Command {
  return command
    .option('--area <areas>', `only these areas (${AREAS.join(', ')})`, listOf(AREAS))
    .option('--lang <languages>', `only these languages (${LANGUAGES.join(', ')})`, listOf(LANGUAGES))
    .option('--channel <channels>', `only these channels (${CHANNELS.join(', ')})`, listOf(CHANNELS));
}

function audienceOfFlags(flags: AudienceFlags): Audience {
  return {
    ...(flags.area && { areas: flags.area }),
    ...(flags.lang && { languages: flags.lang }),
    ...(flags.channel && { channels: flags.channel }),
    ...(flags.topic && { topics: flags.topic }),
    ...(flags.ageGroup && { ageGroups: flags.ageGroup }),
    ...(flags.answeredWave && { answeredWave: flags.answeredWave }),
    ...(flags.ideaTheme && { ideaTheme: flags.ideaTheme }),
  };
}

/** An idea theme, as `--idea-theme` takes it. */
function ideaTheme(value: string): NonNullable<Audience['ideaTheme']> {
  const theme = value
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  if (!(THEMES as readonly string[]).includes(theme)) {
    throw new InvalidArgumentError(`expected one of ${THEMES.join(', ')}`);
  }
  return theme as NonNullable<Audience['ideaTheme']>;
}

/** Reads a time flag in the city's time zone, or stops with the usage. */
function timeFlag(command: Command, flag: string, value: string | undefined, env: Env): Date | undefined {
  if (value === undefined) return undefined;
  const at = parseDateTime(value, env.TIME_ZONE);
  if (!at) {
    command.error(
      `error: option '${flag}' argument '${value}' is invalid. expected an ISO date and time, e.g. 2026-03-14T10:00 (${env.TIME_ZONE}) or 2026-03-14T09:00:00Z`,
      { exitCode: 2 },
    );
  }
  return at;
}

type Deps = BroadcastDeps & {
  env: Env;
  /** One version of a poll from the database: a wave's results and draft use the version it pinned. */
  pollVersion: (poll: string, version: number) => Poll | undefined;
};

/** What broadcasting needs from the context: PostgreSQL, Redis (the fan-out queue), texts and polls. */
async function broadcastDeps(ctx: CliContext): Promise<Deps> {
  await ctx.storage();
  const [db, queues] = await Promise.all([ctx.db(), ctx.queues()]);
  const catalog = await ctx.pollCatalog();
  return {
    env: ctx.env,
    db,
    queue: queues.broadcast,
    texts: ctx.texts(),
    polls: catalog.current,
    pollVersion: (poll, version) => catalog.version(poll, version),
    timeZone: ctx.env.TIME_ZONE,
    quietHours: ctx.quietHours(),
  };
}

/**
 * Runs a broadcast command with its dependencies open; a request that cannot be carried out as
 * asked becomes one line and exit code 2.
 */
function withDeps(what: string, work: (deps: Deps) => Promise<void>): Promise<void> {
  return run(async (ctx) => {
    try {
      await work(await broadcastDeps(ctx));
    } catch (error) {
      // An unknown id, or something that can no longer be changed: the request failed (exit 1).
      if (error instanceof CorrectionNotFoundError || error instanceof CorrectionStateError)
        throw new StartupError(`${what}: ${error.message}.`, 1);
      if (error instanceof BroadcastRequestError) throw new StartupError(`${what}: ${error.message}.`);
      if (error instanceof ZodError) {
        const issue = error.issues[0]!;
        throw new StartupError(`${what}: ${issue.path.join('.') || 'input'} is invalid: ${issue.message}.`);
      }
      throw error;
    }
  });
}

function quietNote(env: Env): string {
  if (env.QUIET_HOURS_START === env.QUIET_HOURS_END) return '';
  return `; in quiet hours (${env.QUIET_HOURS_START}–${env.QUIET_HOURS_END}) it waits until ${env.QUIET_HOURS_END}`;
}

/** A progress bar on stderr, only when stderr is a terminal (never in pipes, logs or tests). */
function progressBar(label: string): SingleBar | undefined {
  if (!process.stderr.isTTY) return undefined;
  return new SingleBar({
    stream: process.stderr,
    format: `${label} [{bar}] {value}/{total}`,
    hideCursor: true,
    clearOnComplete: true,
  });
}

/** With --wait and a broadcast due now: follows its fan-out and returns how many got queued. */
async function queuedWhenWaited(
  db: Kysely<Database>,
  wait: boolean,
  created: { broadcastId: string; audience: number; sendAt: Date },
): Promise<number | undefined> {
  if (!wait || created.sendAt.getTime() > Date.now() + 1_000) return undefined;
  return waitForFanOut(db, created.broadcastId, created.audience);
}

/**
 * `--wait`: follows a fan-out until every message is on the queue, with a progress bar. A fan-out no
 * worker takes is reported once, and the command keeps waiting (up to ten minutes).
 */
async function waitForFanOut(db: Kysely<Database>, broadcastId: string, total: number): Promise<number> {
  const bar = progressBar('queueing');
  bar?.start(Math.max(total, 1), 0);
  const started = Date.now();
  let warned = false;
  try {
    for (;;) {
      const row = await db
        .selectFrom('broadcasts')
        .select(['status', 'queued', 'send_at'])
        .where('id', '=', broadcastId)
        .executeTakeFirstOrThrow();
      bar?.setTotal(Math.max(total, row.queued, 1));
      bar?.update(row.queued);
      if (row.status === 'sent') return row.queued;
      if (!warned && row.status === 'scheduled' && Date.now() - started > 10_000) {
        warned = true;
        process.stderr.write('no worker has taken the fan-out yet; is `straatpraat start` running?\n');
      }
      if (Date.now() - started > 600_000)
        throw new StartupError('gave up waiting for the fan-out after 10 minutes.');
      await sleep(250);
    }
  } finally {
    bar?.stop();
  }
}

/**
 * `--image FILE`: the file's bytes; a file that cannot be read is a usage error (exit 2). Its type
 * and size are checked by `sendFlash`, before anything is stored.
 */
async function imageFile(path: string): Promise<Buffer> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new Error('not a file');
    // Read no more than one byte past the limit: a huge file is refused without loading it.
    if (info.size > FLASH_IMAGE_MAX_BYTES) {
      const mb = (info.size / (1024 * 1024)).toFixed(1);
      throw new BroadcastRequestError(`--image ${path} is ${mb} MB; at most 5 MB fits`);
    }
    return await readFile(path);
  } catch (error) {
    if (error instanceof BroadcastRequestError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : 'not a file';
    throw new BroadcastRequestError(`cannot read --image ${path}: ${why}`);
  }
}

/** `flash`, `poll`, `session` and `purge`: broadcasting and retention. */
export function registerBroadcastCommands(program: Command): void {
  registerFlash(program);
  registerPoll(program);
  registerSession(program);

  program
    .command('purge')
    .description('apply the retention rules now (also runs every night)')
    .showHelpAfterError(true)
    .option('--json', 'print the counts as JSON')
    .action((opts: { json?: boolean }) =>
      withDeps('purge', async ({ env, db }) => {
        const bar = progressBar('purging');
        let started = false;
        const report = await purge(db, retentionOf(env), new Date(), (done, total) => {
          if (!started) bar?.start(Math.max(total, 1), 0);
          started = true;
          bar?.update(done);
        });
        bar?.stop();
        print(Boolean(opts.json), report, () => [
          `message log entries older than ${env.MESSAGE_LOG_RETENTION_DAYS} days: ${report.messageLog} removed`,
          `replies sent over ${env.MESSAGE_LOG_RETENTION_DAYS} days ago: ${report.replies} removed`,
          `stopped residents (stopped over 30 days ago): ${report.stoppedResidents} erased`,
          `identities without consent, silent over ${env.UNCONSENTED_RETENTION_DAYS} days: ${report.unconsentedResidents} erased`,
          `inbound ledger entries older than 30 days: ${report.inboundLedger} removed`,
          `help requests closed over 30 days ago: ${report.helpRequests} erased`,
          `drafts left over ${env.DRAFT_RETENTION_HOURS} hours: ${report.drafts} dropped`,
        ]);
      }),
    );
}

function registerFlash(program: Command): void {
  const flash = group(program, 'flash', 'news flashes: send one to an audience, see how it went');

  withAudienceFlags(
    withLanguageTexts(
      flash
        .command('send')
        .description('send a news flash now or at a time (held until 09:00 in quiet hours)'),
      'the text',
      'required',
    ),
  )
    .option(
      '--topic <topics>',
      'about these news topics (codes of the news topics file): only residents who chose one of them, or chose none, get it',
      topicList,
    )
    .option(
      '--age-group <groups>',
      `only these age groups (${AUDIENCE_AGE_GROUPS.join(', ')}; 65+ for 65plus)`,
      ageGroupList,
    )
    .option(
      '--answered-wave <wave>',
      'only residents who took part in this wave ("you said, we did")',
      uuid('wave'),
    )
    .option(
      '--idea-theme <theme>',
      `only residents who sent an idea on this theme that is marked gedaan (${THEMES.join(', ')})`,
      ideaTheme,
    )
    .option('--at <time>', 'send at this time (ISO; without an offset in TIME_ZONE)')
    .option('--rsvp', 'ask "Kom je? Stuur JA." and count who comes')
    .option('--image <file>', 'a picture (JPEG, PNG or WebP, at most 5 MB) sent with the text as its caption')
    .option('--wait', 'wait until every message is queued, with a progress bar')
    .option('--json', 'print the result as JSON')
    .action(function (
      this: Command,
      opts: AudienceFlags & {
        textNl: string;
        textEn?: string;
        at?: string;
        rsvp?: boolean;
        image?: string;
        wait?: boolean;
        json?: boolean;
      },
    ) {
      return withDeps('flash send', async (deps) => {
        const sendAt = timeFlag(this, '--at <time>', opts.at, deps.env);
        checkTopics(this, opts.topic, deps.env);
        const audience = audienceOfFlags(opts);
        const image = opts.image === undefined ? undefined : await imageFile(opts.image);
        const created = await sendFlash(
          deps,
          {
            text: textsOfFlags(opts)!,
            audience,
            rsvp: Boolean(opts.rsvp),
            ...(sendAt && { sendAt }),
            ...(image && { image }),
          },
          'cli',
        );
        const queued = await queuedWhenWaited(deps.db, Boolean(opts.wait), created);
        print(
          Boolean(opts.json),
          { ...created, sendAt: created.sendAt.toISOString(), ...(queued !== undefined && { queued }) },
          () => [
            `flash ${created.id}`,
            `  to:       ${describeAudience(audience)} (${created.audience} residents now)`,
            `  send at:  ${when(created.sendAt, deps.timeZone)} (${deps.timeZone})${quietNote(deps.env)}`,
            ...(queued !== undefined ? [`  queued:   ${queued}`] : []),
          ],
        );
      });
    });

  registerFlashCorrections(flash);

  flash
    .command('draft')
    .description("draft a flash with a wave's results, to edit and send with --answered-wave")
    .requiredOption('--wave <wave>', 'the wave whose results the draft tells', uuid('wave'))
    .option('--json', 'print the draft as JSON')
    .action((opts: { wave: string; json?: boolean }) =>
      withDeps('flash draft', async (deps) => {
        // Read like `poll results`: as the monitor reader role, closed waves only.
        const pool = new ExportPool({
          databaseUrl: deps.env.EXPORT_DATABASE_URL ?? deps.env.DATABASE_URL,
          size: 1,
          statementTimeoutMs: deps.env.EXPORT_TIMEOUT_MS,
        });
        try {
          const results = await waveResults(pool.db, opts.wave, {
            minCell: deps.env.SUPPRESSION_MIN_CELL,
            polls: deps.polls,
            pollVersion: deps.pollVersion,
            includeRunning: false,
          });
          if (!results) throw new BroadcastNotFoundError(`no wave with id ${opts.wave}`);
          if (!results.shown)
            throw new BroadcastStateError(
              `wave ${opts.wave} is ${results.status}; its results can be drafted once it is closed (poll close closes it now)`,
            );
          const poll = deps.pollVersion(results.poll, results.poll_version) ?? deps.polls.get(results.poll);
          const draft = draftWaveResults(deps, results, poll);
          print(Boolean(opts.json), { wave: opts.wave, ...draft }, () => [
            ...LANGUAGES.flatMap((language) => [`--- ${language} ---`, draft.texts[language] ?? draft.nl]),
            '---',
            `Edit it, then: straatpraat flash send --answered-wave ${opts.wave} ${LANGUAGES.map((l) => `--text-${l} "…"`).join(' ')}`,
          ]);
        } finally {
          await pool.close();
        }
      }),
    );

  flash
    .command('status')
    .description('delivery report: audience, queued, sent, failed, RSVPs')
    .argument('<id>', 'the flash id', uuid('flash'))
    .option('--json', 'print the report as JSON')
    .action((id: string, opts: { json?: boolean }) =>
      withDeps('flash status', async ({ db, timeZone }) => {
        const r = await flashReport(db, id);
        print(Boolean(opts.json), r, () => [
          `${r.kind} ${r.id}: ${r.status}`,
          `  to:        ${describeAudience(r.audienceFilter)}`,
          `  send at:   ${when(r.sendAt, timeZone)}`,
          `  audience:  ${r.audience}`,
          `  queued:    ${r.queued}`,
          `  sent:      ${r.sent} (delivered ${r.delivered}, read ${r.read})`,
          `  failed:    ${r.failed}${r.noTemplate ? ` (${r.noTemplate} outside WhatsApp's 24-hour window without a template)` : ''}`,
          ...(r.cancelled ? [`  withdrawn: ${r.cancelled} (cancelled before they were sent)`] : []),
          ...(r.waitingForDailyLimit
            ? [
                `  waiting:   ${r.waitingForDailyLimit} for Meta's daily limit: they go out over the next days`,
              ]
            : []),
          `  RSVPs:     ${r.rsvp ? r.rsvps : '(no RSVP asked)'}`,
          ...(r.session
            ? [
                `  session:   ${when(r.session.at, timeZone)}, ${r.session.where} (${r.session.who})`,
                `  questions: ${r.session.questions} from ${r.session.askers} residents`,
                ...r.session.followUps.map(
                  (f) =>
                    `  ${f.kind === 'session_reminder' ? 'reminder' : f.kind === 'session_cancelled' ? 'called off' : 'summary'}:  ${f.status}, ${when(f.sendAt, timeZone)}: ${f.sent} sent, ${f.queued} queued, ${f.failed} failed`,
                ),
              ]
            : []),
        ]);
      }),
    );
}

function registerFlashCorrections(flash: Command): void {
  flash
    .command('cancel')
    .description('cancel a flash before it goes; one going out stops (who has it already keeps it)')
    .argument('<id>', 'the flash id', uuid('flash'))
    .option('--json', 'print the result as JSON')
    .action((id: string, opts: { json?: boolean }) =>
      withDeps('flash cancel', async (deps) => {
        const r = await cancelFlash(deps, id, 'cli');
        print(Boolean(opts.json), r, () => [
          r.was === 'scheduled'
            ? `flash ${id} cancelled before it went out`
            : `flash ${id} cancelled while going out: ${r.sent} residents had it already, ${r.withdrawn} withdrawn; no one else gets it`,
        ]);
      }),
    );

  withLanguageTexts(
    flash
      .command('edit')
      .description('change the text of a scheduled flash before it goes')
      .argument('<id>', 'the flash id', uuid('flash')),
    'the new text',
    'required',
  )
    .option('--json', 'print the result as JSON')
    .action((id: string, opts: { textNl: string; textEn?: string; json?: boolean }) =>
      withDeps('flash edit', async (deps) => {
        const r = await editFlash(deps, id, textsOfFlags(opts)!, 'cli');
        print(Boolean(opts.json), { ...r, sendAt: r.sendAt.toISOString() }, () => [
          `flash ${id} changed; it goes at ${when(r.sendAt, deps.timeZone)} (${deps.timeZone})`,
        ]);
      }),
    );
}

function registerPoll(program: Command): void {
  const poll = group(program, 'poll', 'poll waves: launch a poll to an audience, see how it goes');

  poll
    .command('list')
    .description('the polls that can be launched, with their waves')
    .option('--json', 'print the list as JSON')
    .action((opts: { json?: boolean }) =>
      withDeps('poll list', async ({ db, polls, timeZone }) => {
        const list = await listPolls(db, polls, { now: new Date(), timeZone });
        print(Boolean(opts.json), list, () =>
          list.flatMap((p) => [
            `${p.id.padEnd(16)} ${p.title} — ${p.questions} question${p.questions === 1 ? '' : 's'}${p.indicators.length ? ` (${p.indicators.join(', ')})` : ''}${p.version ? `, version ${p.version}` : ''}`,
            ...(p.nextWave ? [`    next wave: ${when(p.nextWave, timeZone)} (poll schedule)`] : []),
            ...p.waves.map(
              (w) =>
                `    wave ${w.id}: ${w.status}, ${when(w.opensAt, timeZone)} – ${when(w.closesAt, timeZone)}`,
            ),
          ]),
        );
      }),
    );

  withAudienceFlags(
    poll
      .command('launch')
      .description('launch a poll: invite the audience, remind once, close after a while')
      .argument('<poll>', 'the poll id (see poll list)'),
  )
    .option('--at <time>', 'open at this time (ISO; without an offset in TIME_ZONE)')
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
    .option('--wait', 'wait until every invitation is queued, with a progress bar')
    .option('--json', 'print the result as JSON')
    .action(function (
      this: Command,
      pollId: string,
      opts: AudienceFlags & {
        at?: string;
        remindAfter?: number | null;
        closeAfter?: number | null;
        wait?: boolean;
        json?: boolean;
      },
    ) {
      return withDeps('poll launch', async (deps) => {
        const opensAt = timeFlag(this, '--at <time>', opts.at, deps.env);
        if (opts.closeAfter === null)
          this.error("error: option '--close-after' needs a duration", { exitCode: 2 });
        const audience = audienceOfFlags(opts);
        const wave = await launchWave(
          deps,
          {
            poll: pollId,
            audience,
            ...(opensAt && { opensAt }),
            ...(opts.remindAfter !== undefined && { remindAfterMs: opts.remindAfter }),
            ...(opts.closeAfter !== undefined &&
              opts.closeAfter !== null && { closeAfterMs: opts.closeAfter }),
          },
          'cli',
        );
        const queued =
          opts.wait && wave.opensAt.getTime() <= Date.now() + 1_000
            ? await waitForFanOut(deps.db, wave.invitationId, wave.audience)
            : undefined;
        const out = {
          ...wave,
          opensAt: wave.opensAt.toISOString(),
          remindAt: wave.remindAt?.toISOString() ?? null,
          closesAt: wave.closesAt.toISOString(),
          ...(queued !== undefined && { queued }),
        };
        print(Boolean(opts.json), out, () => [
          `wave ${wave.id} of poll ${wave.poll}`,
          `  to:       ${describeAudience(audience)} (${wave.audience} residents now)`,
          `  opens:    ${when(wave.opensAt, deps.timeZone)}`,
          `  reminder: ${when(wave.remindAt, deps.timeZone)}`,
          `  closes:   ${when(wave.closesAt, deps.timeZone)}`,
          ...(queued !== undefined ? [`  queued:   ${queued}`] : []),
        ]);
      });
    });

  registerPollCorrections(poll);

  poll
    .command('results')
    .description(
      'what residents answered in a wave: shares per answer, the mean mark, the free texts (scrubbed), small groups hidden',
    )
    .argument('<wave>', 'the wave id', uuid('wave'))
    .option(
      '--include-running',
      'also a wave that is not closed yet (analysts; the wijkteam sees closed waves)',
    )
    .option('--json', 'print the results as one JSON document')
    .action((waveId: string, opts: { includeRunning?: boolean; json?: boolean }) =>
      run(async (ctx) => {
        const env = ctx.env;
        const db = await ctx.db();
        const catalog = await ctx.pollCatalog();
        // Read like an export: as the monitor reader role, which sees the monitor schema only.
        const pool = new ExportPool({
          databaseUrl: env.EXPORT_DATABASE_URL ?? env.DATABASE_URL,
          size: 1,
          statementTimeoutMs: env.EXPORT_TIMEOUT_MS,
        });
        try {
          const results = await waveResults(pool.db, waveId, {
            minCell: env.SUPPRESSION_MIN_CELL,
            polls: catalog.current,
            pollVersion: (poll, version) => catalog.version(poll, version),
            includeRunning: Boolean(opts.includeRunning),
          });
          if (!results) throw new StartupError(`poll results: there is no wave ${waveId}.`);
          await recordAudit(db, 'cli', 'wave.results', { wave: waveId }, new Date());
          print(Boolean(opts.json), { ...results, method: waveResultsMethod(results.min_cell) }, () =>
            waveResultsLines(results),
          );
        } finally {
          await pool.close();
        }
      }),
    );

  poll
    .command('status')
    .description('where a wave stands: invited, held, started, finished, and each send')
    .argument('<wave>', 'the wave id', uuid('wave'))
    .option('--json', 'print the report as JSON')
    .action((waveId: string, opts: { json?: boolean }) =>
      withDeps('poll status', async ({ db, timeZone }) => {
        const r = await waveReport(db, waveId);
        print(Boolean(opts.json), r, () => [
          `wave ${r.id} of poll ${r.poll}: ${r.status}`,
          `  to:          ${describeAudience(r.audienceFilter)}`,
          `  opens:       ${when(r.opensAt, timeZone)}`,
          `  reminder:    ${when(r.remindAt, timeZone)}`,
          `  closes:      ${when(r.closesAt, timeZone)}`,
          `  residents:   ${r.audience} (${r.held} waiting for an earlier wave, ${r.invited} invited, ${r.started} started, ${r.finished} finished)`,
          `  respondents: ${r.respondents}`,
          `  invitation:  ${r.invitation.sent} sent, ${r.invitation.queued} queued, ${r.invitation.failed} failed`,
          ...(r.reminder
            ? [
                `  reminder:    ${r.reminder.sent} sent, ${r.reminder.queued} queued, ${r.reminder.failed} failed`,
              ]
            : []),
        ]);
      }),
    );
}

function registerPollCorrections(poll: Command): void {
  poll
    .command('cancel')
    .description('cancel a wave before it opens: no invitation goes out')
    .argument('<wave>', 'the wave id', uuid('wave'))
    .option('--json', 'print the result as JSON')
    .action((waveId: string, opts: { json?: boolean }) =>
      withDeps('poll cancel', async (deps) => {
        const r = await cancelWave(deps, waveId, 'cli');
        print(Boolean(opts.json), r, () => [`wave ${waveId} cancelled; no invitation goes out`]);
      }),
    );

  poll
    .command('close')
    .description('close an open wave now: no answers count after this, the reminder does not go')
    .argument('<wave>', 'the wave id', uuid('wave'))
    .option('--json', 'print the result as JSON')
    .action((waveId: string, opts: { json?: boolean }) =>
      withDeps('poll close', async (deps) => {
        const r = await closeWave(deps, waveId, 'cli');
        print(Boolean(opts.json), { ...r, closedAt: r.closedAt.toISOString() }, () => [
          `wave ${waveId} closed at ${when(r.closedAt, deps.timeZone)}${r.stopped ? `; ${r.stopped} send(s) still to come stopped` : ''}`,
        ]);
      }),
    );
}

function registerSession(program: Command): void {
  const session = group(program, 'session', 'straatpraat sessions: announce, read the questions, follow up');

  withAudienceFlags(
    withLanguageTexts(
      session
        .command('announce')
        .description(
          'announce a session (with RSVP and questions in advance); reminds those coming on the day',
        )
        .requiredOption('--when <time>', 'when the session starts (ISO; without an offset in TIME_ZONE)')
        .requiredOption('--where <place>', 'where it is')
        .requiredOption('--who <people>', 'who from the municipality comes'),
      'more words',
      'optional',
    ),
  )
    .option('--at <time>', 'send the announcement at this time (default now)')
    .option('--wait', 'wait until every announcement is queued, with a progress bar')
    .option('--json', 'print the result as JSON')
    .action(function (
      this: Command,
      opts: AudienceFlags & {
        when: string;
        where: string;
        who: string;
        textNl?: string;
        textEn?: string;
        at?: string;
        wait?: boolean;
        json?: boolean;
      },
    ) {
      return withDeps('session announce', async (deps) => {
        const at = timeFlag(this, '--when <time>', opts.when, deps.env)!;
        const sendAt = timeFlag(this, '--at <time>', opts.at, deps.env);
        const other = otherTextFlag(opts);
        if (other && opts.textNl === undefined) {
          this.error(`error: option '${other}' needs '--text-nl' too`, { exitCode: 2 });
        }
        const audience = audienceOfFlags(opts);
        const created = await announceSession(
          deps,
          {
            at,
            where: opts.where,
            who: opts.who,
            audience,
            ...(opts.textNl !== undefined && { text: textsOfFlags(opts)! }),
            ...(sendAt && { sendAt }),
          },
          'cli',
        );
        const queued = await queuedWhenWaited(deps.db, Boolean(opts.wait), created);
        print(
          Boolean(opts.json),
          {
            ...created,
            sendAt: created.sendAt.toISOString(),
            reminderAt: created.reminderAt.toISOString(),
            ...(queued !== undefined && { queued }),
          },
          () => [
            `session ${created.id}`,
            `  to:        ${describeAudience(audience)} (${created.audience} residents now)`,
            `  announced: ${when(created.sendAt, deps.timeZone)}`,
            `  reminder:  ${when(created.reminderAt, deps.timeZone)} (to those who said they come)`,
            ...(queued !== undefined ? [`  queued:    ${queued}`] : []),
          ],
        );
      });
    });

  session
    .command('cancel')
    .description('call off a session; who said they would come gets one line')
    .argument('<id>', 'the session id', uuid('session'))
    .option('--json', 'print the result as JSON')
    .action((id: string, opts: { json?: boolean }) =>
      withDeps('session cancel', async (deps) => {
        const r = await cancelSession(deps, id, 'cli');
        print(Boolean(opts.json), r, () => [
          `session ${id} called off; ${r.told} resident(s) who said they would come are told`,
        ]);
      }),
    );

  session
    .command('questions')
    .description('the questions sent in advance, grouped by theme (never who asked)')
    .argument('<id>', 'the session id', uuid('session'))
    .option('--json', 'print the questions as JSON')
    .action((id: string, opts: { json?: boolean }) =>
      withDeps('session questions', async ({ db, texts }) => {
        const groups = await sessionQuestions(db, id);
        const label = (theme: string) => {
          try {
            return texts.t('nl', `theme-${theme.replace('_', '-')}`);
          } catch {
            return theme;
          }
        };
        print(
          Boolean(opts.json),
          groups.map((g) => ({ ...g, label: label(g.theme) })),
          () =>
            groups.length === 0
              ? ['no questions yet']
              : groups.flatMap((g) => [
                  `${label(g.theme)} (${g.questions.length})`,
                  ...g.questions.map((q) => `  - ${q.text.replace(/\s+/g, ' ')} (${q.askedOn})`),
                ]),
        );
      }),
    );

  withLanguageTexts(
    session
      .command('summary')
      .description('send what was said and what happens next to everyone who said they would come or asked')
      .argument('<id>', 'the session id', uuid('session')),
    'the summary',
    'required',
  )
    .option('--wait', 'wait until every message is queued, with a progress bar')
    .option('--json', 'print the result as JSON')
    .action((id: string, opts: { textNl: string; textEn?: string; wait?: boolean; json?: boolean }) =>
      withDeps('session summary', async (deps) => {
        const sent = await sendSessionSummary(deps, id, textsOfFlags(opts)!, 'cli');
        const queued = opts.wait
          ? await waitForFanOut(deps.db, sent.broadcastId, sent.recipients)
          : undefined;
        print(Boolean(opts.json), { ...sent, ...(queued !== undefined && { queued }) }, () => [
          `summary of session ${id}: ${sent.recipients} residents${queued !== undefined ? `, ${queued} queued` : ''}`,
        ]);
      }),
    );
}
