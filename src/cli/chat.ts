import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { ConsoleAdapter, ConsoleNameSchema } from '../../adapters/console/adapter.js';
import type { App } from '../app.js';
import { sleep } from '../domain/backoff.js';
import { StartupError } from '../domain/errors.js';
import { createRedis } from '../queue/redis.js';

export interface ChatOptions {
  /** Be this console resident instead of the saved one. */
  as?: string;
  input?: Readable;
  output?: Writable;
  /** Treat input as a terminal (prompt, run until Ctrl-D); default: whether stdin is a TTY. */
  interactive?: boolean;
}

/** The console resident of this machine: made once, then the same on every run, like a phone number. */
export function consoleIdentity(dataDir: string, as?: string): string {
  if (as !== undefined) {
    const parsed = ConsoleNameSchema.safeParse(as);
    if (!parsed.success)
      throw new StartupError(
        `--as ${JSON.stringify(as)} is not a valid name: ${parsed.error.issues[0]!.message}.`,
      );
    return parsed.data;
  }
  const file = join(dataDir, 'console-resident');
  if (existsSync(file)) {
    const saved = readFileSync(file, 'utf8').trim();
    if (ConsoleNameSchema.safeParse(saved).success) return saved;
  }
  const name = `bewoner-${randomBytes(4).toString('hex')}`;
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, `${name}\n`);
  return name;
}

/**
 * The resident simulator: each typed line goes through the console adapter, the inbound queue,
 * the engine and the database like a message from a phone; replies come back through the console
 * channel's outbound queue. Without a terminal it reads until end of input and returns once every
 * reply is printed.
 */
export async function runChat(app: App, options: ChatOptions = {}): Promise<void> {
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stdout;
  const interactive = options.interactive ?? Boolean((input as { isTTY?: boolean }).isTTY);
  const address = consoleIdentity(app.env.DATA_DIR, options.as);
  const runId = randomUUID();
  const inbox = ConsoleAdapter.inboxKey(app.env.QUEUE_PREFIX, address);
  const reader = createRedis(app.env.REDIS_URL, { cluster: app.env.REDIS_CLUSTER });
  // Dropped on purpose: a lost connection shows in the reads below, which ioredis retries once it is
  // back, and log lines would land in the middle of the conversation on this terminal.
  reader.on('error', () => {});
  const jobs: { partition: number; jobId: string }[] = [];
  let closed = false;
  let prompt = () => {};

  const printer = (async () => {
    while (!closed) {
      const item = await reader.blpop(inbox, 0.2).catch(() => null);
      if (!item) continue;
      output.write(`\nStraatpraat › ${item[1].replace(/\n/g, '\n              ')}\n`);
      prompt();
    }
  })();

  if (interactive) {
    output.write(
      `Je bent ${address}. Typ een bericht. Stoppen: Ctrl-D.\nYou are ${address}. Type a message. Quit: Ctrl-D.\n`,
    );
  }
  const lines = createInterface({ input, terminal: false });
  prompt = interactive ? () => output.write('jij › ') : () => {};
  prompt();
  let seq = 0;
  for await (const line of lines) {
    if (line.trim() === '') {
      prompt();
      continue;
    }
    seq += 1;
    const message = ConsoleAdapter.normalise(line, address, `${runId}-${seq}`, new Date());
    jobs.push(await app.ingress.accept(message));
  }
  if (!interactive) await waitUntilAnswered(app, address, inbox, jobs);
  closed = true;
  await printer;
  reader.disconnect();
}

/** Waits until every message sent was handled and every reply was delivered and printed. */
async function waitUntilAnswered(
  app: App,
  address: string,
  inbox: string,
  jobs: readonly { partition: number; jobId: string }[],
): Promise<void> {
  for (const { partition, jobId } of jobs) {
    for (;;) {
      const job = await app.queues.inbound(partition).getJob(jobId);
      const state = job ? await job.getState() : 'unknown';
      if (state === 'completed' || state === 'failed' || state === 'unknown') break;
      await sleep(20);
    }
  }
  for (;;) {
    const pending = await app.db
      .selectFrom('outbound_messages as o')
      .innerJoin('residents as r', 'r.id', 'o.resident_id')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('r.channel', '=', 'console')
      .where('r.address', '=', address)
      .where('o.status', '=', 'queued')
      .executeTakeFirstOrThrow();
    const unprinted = await app.redis.llen(inbox);
    const untracked = await app.queues
      .outbound('console')
      .getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    const busy = Object.values(untracked).reduce((a, b) => a + b, 0);
    if (Number(pending.n) === 0 && unprinted === 0 && busy === 0) return;
    await sleep(20);
  }
}
