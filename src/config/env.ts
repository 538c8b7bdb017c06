import { z } from 'zod';
import { ClosedDays, isIsoDay } from '../domain/closed-days.js';
import { StartupError } from '../domain/errors.js';
import { DEFAULT_OFFICE_HOURS, type OfficeHours, parseOfficeHours } from '../domain/office-hours.js';
import { isTimeZone } from '../domain/time.js';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const int = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, `expected a whole number from ${min} to ${max}`)
    .transform(Number)
    .pipe(z.number().int().min(min, `expected at least ${min}`).max(max, `expected at most ${max}`));

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time of day like 21:00');

const url = (protocols: string[]) =>
  z.string().refine(
    (v) => {
      try {
        return protocols.includes(new URL(v).protocol);
      } catch {
        return false;
      }
    },
    { message: `expected a ${protocols.map((p) => `${p}//`).join(' or ')} URL` },
  );

/**
 * Every setting Straatpraat reads from the environment, with its default. `.env.example` lists the
 * same names; a test keeps the two in step.
 */
/** A phone number as residents see it: country code and digits (a leading + and spaces are dropped). */
const phoneNumber = z
  .string()
  .transform((v) => v.replace(/^\+/, '').replace(/[\s-]/g, ''))
  .pipe(
    z
      .string()
      .regex(/^[1-9]\d{7,14}$/, 'expected a phone number with country code, digits only, e.g. 31612345678'),
  );

export const EnvSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    DATABASE_URL: url(['postgres:', 'postgresql:']).default('postgres://postgres@127.0.0.1:5432/straatpraat'),
    REDIS_URL: url(['redis:', 'rediss:']).default('redis://127.0.0.1:6379'),
    /** REDIS_URL is one node of a Redis Cluster; the others are found from it. Needs a hash-tagged QUEUE_PREFIX. */
    REDIS_CLUSTER: bool.default(false),
    HTTP_PORT: int(0, 65535).default(8080),
    /** Where HTTP listens: this machine only by default; a TLS proxy in front publishes it. */
    HTTP_HOST: z.string().min(1).default('127.0.0.1'),
    /**
     * Where residents' phones reach this service's HTTP server (the TLS proxy), for links to flash
     * pictures on channels that cannot show them (`/media/flash/{id}`). Default: HTTP_HOST:HTTP_PORT.
     */
    PUBLIC_URL: url(['https:', 'http:']).optional(),
    /** Time a client has to send a whole request, headers and body (ms); downloads are not limited by it. */
    HTTP_REQUEST_TIMEOUT_MS: int(1000, 600_000).default(30_000),
    /** Time a client has to send the request headers (ms). */
    HTTP_HEADERS_TIMEOUT_MS: int(1000, 600_000).default(10_000),
    /** How long an idle kept-alive connection stays open (ms). */
    HTTP_KEEP_ALIVE_TIMEOUT_MS: int(1000, 600_000).default(5_000),
    /** HTTP connections at once; more are closed as they come. */
    HTTP_MAX_CONNECTIONS: int(1, 100_000).default(256),
    /** Workers and schedulers serve no HTTP; with this set they serve /metrics (only) on this port. */
    METRICS_PORT: int(0, 65535).optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /**
     * Prefix of every Redis key (BullMQ's and ours), so several installations (or test runs) can share
     * one Redis. On a Redis Cluster it must hold a hash tag, e.g. `{straatpraat}`: every key then lands
     * in one hash slot, which BullMQ's scripts (several keys of a queue at once) need.
     */
    QUEUE_PREFIX: z
      .string()
      .max(40, 'expected at most 40 characters')
      .regex(
        /^[a-zA-Z0-9_-]*(\{[a-zA-Z0-9_-]+\})?[a-zA-Z0-9_-]*$/,
        'expected letters, digits, - or _, with at most one hash tag in braces for Redis Cluster, e.g. {straatpraat}',
      )
      .min(1, 'expected letters, digits, - or _')
      .default('straatpraat'),
    /** Number of inbound partitions; messages of one resident always go to the same one, in order. */
    INBOUND_PARTITIONS: int(1, 256).default(64),
    /** Transactions one worker process runs at the same time, each for a batch of messages. */
    WORKER_CONCURRENCY: int(1, 256).default(2),
    /** Messages at most in one transaction (messages picked up together are handled together). */
    INBOUND_BATCH_SIZE: int(1, 1000).default(64),
    /** How long a job's lock lasts before another worker may take over a job whose worker died (ms). */
    QUEUE_LOCK_MS: int(1000, 600_000).default(4_000),
    PSEUDONYM_KEY: z.string().min(32, 'expected at least 32 characters of secret').optional(),
    PSEUDONYM_KEY_FILE: z.string().min(1).optional(),
    /** Secret that seals the message log, help-request texts and WhatsApp credentials at rest. */
    DATA_KEY: z.string().min(32, 'expected at least 32 characters of secret').optional(),
    DATA_KEY_FILE: z.string().min(1).optional(),
    /** The data key before a rotation: it only opens values, until `data-key reseal` has re-sealed them. */
    DATA_KEY_PREVIOUS: z.string().min(32, 'expected at least 32 characters of secret').optional(),
    DATA_KEY_PREVIOUS_FILE: z.string().min(1).optional(),
    PRIVACY_URL: url(['https:', 'http:']).default('https://www.gemeentemaastricht.nl/privacy'),
    /** Where someone younger than 16 is sent instead of taking part: a name residents read, and a link. */
    YOUTH_REFERRAL_NAME: z.string().trim().min(1).max(80).optional(),
    YOUTH_REFERRAL_URL: url(['https:', 'http:']).optional(),
    SERVICE_POINTS_FILE: z.string().min(1).optional(),
    /** JSON file with the news topics (code and label per language). */
    NEWS_TOPICS_FILE: z.string().min(1).optional(),
    /** Ask the veerkracht-kort poll right after joining. */
    ONBOARDING_POLL: bool.default(true),
    /** Local data folder (console identities, generated development key). */
    DATA_DIR: z.string().min(1).default('.straatpraat'),
    TELEGRAM_BOT_TOKEN: z
      .string()
      .regex(/^\d+:[A-Za-z0-9_-]{20,}$/, 'expected a token from BotFather like 123456:ABC...')
      .optional(),
    TELEGRAM_WEBHOOK_URL: url(['https:']).optional(),
    TELEGRAM_WEBHOOK_SECRET: z
      .string()
      .regex(/^[A-Za-z0-9_-]{16,256}$/, 'expected 16 to 256 letters, digits, _ or -')
      .optional(),
    TELEGRAM_API_ROOT: url(['https:', 'http:']).default('https://api.telegram.org'),
    /** Telegram messages per second, all processes together (Telegram allows about 30). */
    TELEGRAM_RATE_PER_SECOND: int(1, 1000).default(25),
    /** Least time between two messages to one Telegram chat (ms); Telegram allows about one a second. */
    TELEGRAM_PER_CHAT_INTERVAL_MS: int(0, 60_000).default(1000),
    WHATSAPP_ENABLED: bool.default(false),
    /** Link WhatsApp with a pairing code for this number (country code and number) instead of a QR code. */
    WHATSAPP_PAIRING_NUMBER: z
      .string()
      .regex(/^\+?[1-9]\d{7,14}$/, 'expected a phone number with country code, digits only, e.g. 31612345678')
      .transform((v) => v.replace(/^\+/, ''))
      .optional(),
    /** Bulk WhatsApp messages (flashes, invitations, reminders) per minute at most, all processes together. */
    WHATSAPP_BULK_PER_MINUTE: int(1, 600).default(20),
    /** Random extra wait between two bulk WhatsApp messages, from 0 to this many ms. */
    WHATSAPP_JITTER_MS: int(0, 600_000).default(2000),
    /** How long the WhatsApp connection lease lasts without renewal before a standby takes over (ms). */
    WHATSAPP_LEASE_MS: int(1000, 600_000).default(30_000),
    /** Log in as this WhatsApp Web version (e.g. 2.3000.1023456789) instead of looking up the current one. */
    WHATSAPP_WEB_VERSION: z
      .string()
      .regex(/^\d{1,4}\.\d{1,6}\.\d{1,12}$/, 'expected a WhatsApp Web version such as 2.3000.1023456789')
      .optional(),
    /** Identities without consent (never given, refused, withdrawn, joining abandoned): erased after this many silent days. */
    UNCONSENTED_RETENTION_DAYS: int(1, 3650).default(30),
    /** Drafts (an idea, a question, a help request) left unfinished this many hours are dropped. */
    DRAFT_RETENTION_HOURS: int(1, 8760).default(24),
    /** Days the (sealed) message log and sent replies are kept: a week at most. */
    MESSAGE_LOG_RETENTION_DAYS: int(1, 7).default(7),
    /**
     * Where exports and the results page connect (default: DATABASE_URL). They run as
     * straatpraat_monitor_reader either way; a URL that logs in as that role itself keeps even the
     * session's own user out of reach.
     */
    EXPORT_DATABASE_URL: url(['postgres:', 'postgresql:']).optional(),
    /** Database connections for exports and the results page together (their own pool). */
    EXPORT_POOL_SIZE: int(1, 50).default(4),
    /** Exports one API token may run at the same time; more get 429. */
    EXPORT_PER_TOKEN: int(1, 50).default(2),
    /** Longest an export's query may run, and a download may wait for its client to read (ms). */
    EXPORT_TIMEOUT_MS: int(1000, 3_600_000).default(300_000),
    /** A download whose client reads nothing for this long is cut off and its connection freed (ms). */
    EXPORT_STALL_MS: int(1000, 600_000).default(30_000),
    /** WhatsApp Cloud API (Meta's official platform): a system user's access token enables the channel. */
    WHATSAPP_CLOUD_ACCESS_TOKEN: z
      .string()
      .regex(
        /^[A-Za-z0-9_|.-]{20,1024}$/,
        'expected the access token from Meta Business Manager (a system user token)',
      )
      .optional(),
    /** The Cloud API's id of the business phone number (WhatsApp Manager, "Phone numbers"). */
    WHATSAPP_CLOUD_PHONE_NUMBER_ID: z
      .string()
      .regex(/^\d{5,30}$/, 'expected the numeric phone number id')
      .optional(),
    /** The Meta app's secret: Meta signs every webhook call with it (X-Hub-Signature-256). */
    WHATSAPP_CLOUD_APP_SECRET: z
      .string()
      .regex(/^[A-Za-z0-9]{16,128}$/, 'expected the app secret (letters and digits)')
      .optional(),
    /** A secret of our own that Meta repeats when it checks the webhook URL (the GET handshake). */
    WHATSAPP_CLOUD_VERIFY_TOKEN: z
      .string()
      .regex(/^[A-Za-z0-9_-]{16,256}$/, 'expected 16 to 256 letters, digits, _ or -')
      .optional(),
    /** Where the Graph API is; tests point it at a local fake. */
    WHATSAPP_CLOUD_API_ROOT: url(['https:', 'http:']).default('https://graph.facebook.com'),
    /** The Graph API version the requests name. */
    WHATSAPP_CLOUD_API_VERSION: z
      .string()
      .regex(/^v\d{1,3}\.\d$/, 'expected a version like v23.0')
      .default('v23.0'),
    /** The Cloud API number as residents see it (country code, digits only), for join links. */
    WHATSAPP_CLOUD_NUMBER: phoneNumber.optional(),
    /** Bulk Cloud API messages per second, all processes together (Meta allows 80). */
    WHATSAPP_CLOUD_RATE_PER_SECOND: int(1, 1000).default(20),
    /**
     * Meta's messaging limit: business-initiated conversations with unique people per rolling 24 hours
     * (250 for a new business portfolio, then 2,000, 10,000, 100,000). Larger sends spill over to the next days.
     */
    WHATSAPP_CLOUD_DAILY_LIMIT: int(1, 10_000_000).default(250),
    /** File with the approved message templates per kind and language. */
    WHATSAPP_CLOUD_TEMPLATES_FILE: z.string().min(1).default('config/whatsapp-templates.json'),
    /** Quiet hours: messages the bot starts itself (flashes, invitations, reminders) wait from … */
    QUIET_HOURS_START: clockTime.default('21:00'),
    /** … until this time; replies to a resident's own message are never held. */
    QUIET_HOURS_END: clockTime.default('09:00'),
    /** The city's time zone: quiet hours, local times on the command line, the day stored with answers. */
    TIME_ZONE: z
      .string()
      .refine(isTimeZone, { message: 'expected an IANA time zone such as Europe/Amsterdam' })
      .default('Europe/Amsterdam'),
    /** How often the scheduler looks for due broadcasts, reminders and waves to open or close (ms). */
    SCHEDULER_TICK_MS: int(200, 3_600_000).default(15_000),
    /** Smallest number of respondents an aggregate cell may show; 5 is the floor of small-cell protection. */
    SUPPRESSION_MIN_CELL: int(5, 1000).default(10),
    /** When the wijkteam answers help requests: told to residents, and a working day for flagging. */
    OFFICE_HOURS: z
      .string()
      .refine((v) => !('error' in parseOfficeHours(v)), {
        message: 'expected days and times like "ma-vr 09:00-17:00" (or "ma-do 09:00-17:00; vr 09:00-12:00")',
      })
      .default(DEFAULT_OFFICE_HOURS),
    /**
     * Extra days the wijkteam's office is closed (besides Dutch public holidays), e.g. carnival Monday
     * and Tuesday: a comma list of YYYY-MM-DD dates.
     */
    OFFICE_CLOSED_DAYS: z
      .string()
      .default('')
      .transform((v) =>
        v
          .split(',')
          .map((d) => d.trim())
          .filter(Boolean),
      )
      .pipe(
        z.array(
          z.string().refine(isIsoDay, { message: 'expected dates like 2027-02-08, separated by commas' }),
        ),
      ),
    /** The Telegram bot's username (from BotFather), for join links. */
    TELEGRAM_BOT_USERNAME: z
      .string()
      .transform((v) => v.replace(/^@/, ''))
      .pipe(z.string().regex(/^[A-Za-z][A-Za-z0-9_]{3,31}$/, 'expected a bot username like straatpraat_bot'))
      .optional(),
    /** The WhatsApp number residents write to, for join links (country code, digits only). */
    WHATSAPP_NUMBER: phoneNumber.optional(),
  })
  .superRefine((env, ctx) => {
    // BullMQ's scripts touch several keys of a queue at once: on a cluster they must share a slot.
    if (env.REDIS_CLUSTER && !/\{[^}]+\}/.test(env.QUEUE_PREFIX)) {
      ctx.addIssue({
        code: 'custom',
        path: ['QUEUE_PREFIX'],
        message: `needs a hash tag in braces when REDIS_CLUSTER is on, e.g. {${env.QUEUE_PREFIX}}`,
      });
    }
    if (env.HTTP_HEADERS_TIMEOUT_MS > env.HTTP_REQUEST_TIMEOUT_MS) {
      ctx.addIssue({
        code: 'custom',
        path: ['HTTP_HEADERS_TIMEOUT_MS'],
        message: 'expected at most HTTP_REQUEST_TIMEOUT_MS (the headers are part of the request)',
      });
    }
    // Without the secret anyone who guesses the URL could post updates as any resident.
    if (env.TELEGRAM_WEBHOOK_URL && !env.TELEGRAM_WEBHOOK_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['TELEGRAM_WEBHOOK_SECRET'],
        message: 'required when TELEGRAM_WEBHOOK_URL is set (16 to 256 letters, digits, _ or -)',
      });
    }
    if (env.WHATSAPP_CLOUD_ACCESS_TOKEN) {
      for (const name of [
        'WHATSAPP_CLOUD_PHONE_NUMBER_ID',
        'WHATSAPP_CLOUD_APP_SECRET',
        'WHATSAPP_CLOUD_VERIFY_TOKEN',
      ] as const) {
        if (!env[name]) {
          ctx.addIssue({
            code: 'custom',
            path: [name],
            message: 'required when WHATSAPP_CLOUD_ACCESS_TOKEN is set',
          });
        }
      }
      // One number cannot be a linked device and a Cloud API number at once: Meta takes it off the app.
      const cloud = env.WHATSAPP_CLOUD_NUMBER;
      if (
        env.WHATSAPP_ENABLED &&
        cloud &&
        (cloud === env.WHATSAPP_PAIRING_NUMBER || cloud === env.WHATSAPP_NUMBER)
      ) {
        ctx.addIssue({
          code: 'custom',
          path: ['WHATSAPP_ENABLED'],
          message: `both WhatsApp channels are on with the same number ${cloud}; turn WHATSAPP_ENABLED off (the Cloud API replaces the linked number) or use another number`,
        });
      }
    }
  });
export type Env = z.infer<typeof EnvSchema>;

/** Names of every setting, for `.env.example` and the configuration table in docs/operations.md. */
export const ENV_NAMES = Object.keys(EnvSchema.shape) as (keyof Env)[];

/**
 * Reads and validates the environment. Empty strings count as unset. On a bad value throws a
 * StartupError whose message is one line naming the variable and what is expected.
 */
export function parseEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const input: Record<string, string> = {};
  for (const name of ENV_NAMES) {
    const value = source[name];
    if (value !== undefined && value.trim() !== '') input[name] = value.trim();
  }
  const result = EnvSchema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const name = String(issue.path[0] ?? 'environment');
    throw new StartupError(`Configuration error: ${name} is invalid: ${issue.message}.`);
  }
  return result.data;
}

/** The wijkteam's office hours with their closed days (public holidays and OFFICE_CLOSED_DAYS). */
export function officeHoursOf(env: Pick<Env, 'OFFICE_HOURS' | 'OFFICE_CLOSED_DAYS'>): OfficeHours {
  const closed = new ClosedDays(env.OFFICE_CLOSED_DAYS);
  const hours = parseOfficeHours(env.OFFICE_HOURS, closed);
  return 'error' in hours ? (parseOfficeHours(DEFAULT_OFFICE_HOURS, closed) as OfficeHours) : hours;
}
