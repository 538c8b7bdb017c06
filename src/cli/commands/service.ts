import { type Command, InvalidArgumentError, Option } from 'commander';
import type { App } from '../../app.js';
import type { Env } from '../../config/env.js';
import { ROLES, type Role } from '../../config/roles.js';
import { createLogger, type Logger } from '../../log.js';
import { run } from '../context.js';

/**
 * Stops the app on SIGTERM/SIGINT: finish jobs in flight, close connections, exit 0. Installed
 * before start-up, so a signal that arrives while starting stops the process as soon as it runs.
 */
function stopOnSignals(log: Logger): { started(app: App): Promise<void> } {
  let app: App | undefined;
  let signalled: string | undefined;
  let done: () => void = () => {};
  const finished = new Promise<void>((resolve) => {
    done = resolve;
  });
  const stop = () => {
    const force = setTimeout(() => {
      log.error('jobs did not finish within 9 s; exiting anyway');
      process.exit(1);
    }, 9_000);
    force.unref();
    void app!.stop().then(done);
  };
  const onSignal = (signal: string) => {
    if (signalled) return;
    signalled = signal;
    log.info({ signal }, 'signal received');
    if (app) stop();
  };
  process.once('SIGTERM', () => onSignal('SIGTERM'));
  process.once('SIGINT', () => onSignal('SIGINT'));
  return {
    started(running) {
      app = running;
      if (signalled) stop();
      return finished;
    },
  };
}

function channelsConfigured(env: Env): boolean {
  return Boolean(env.TELEGRAM_BOT_TOKEN) || env.WHATSAPP_ENABLED || Boolean(env.WHATSAPP_CLOUD_ACCESS_TOKEN);
}

const parseRole = (value: string): Role => {
  if (!(ROLES as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`expected one of ${ROLES.join(', ')}`);
  }
  return value as Role;
};

/**
 * Checks PostgreSQL and Redis before the application's modules load, so an operator with a wrong
 * address hears it in a second, not after the whole app has been read in.
 */
async function storageAnswers(env: Env): Promise<void> {
  const [{ checkRedis }, { ensureDatabase }] = await Promise.all([
    import('../../queue/redis.js'),
    import('../../db/connect.js'),
  ]);
  await Promise.all([checkRedis(env.REDIS_URL), ensureDatabase(env.DATABASE_URL)]);
}

/** `start`, `migrate` and `chat`: running the service and talking to it. */
export function registerServiceCommands(program: Command): void {
  program
    .command('start')
    .description('run the service; with no channel configured and a terminal, the console simulator')
    .addOption(
      new Option('--role <role>', `what this process does (${ROLES.join('|')})`)
        .default('all')
        .argParser(parseRole),
    )
    .action((opts: { role: Role }) =>
      run(async (ctx) => {
        const env = ctx.env;
        const simulate = !channelsConfigured(env) && opts.role === 'all' && process.stdin.isTTY === true;
        const log = createLogger(simulate && !process.env.LOG_LEVEL ? 'warn' : env.LOG_LEVEL);
        const signals = simulate ? undefined : stopOnSignals(log);
        await storageAnswers(env);
        const app = await (await import('../../app.js')).startApp({ env, log, role: opts.role });
        if (simulate) {
          process.stdout.write(
            `Geen kanaal ingesteld: de console-simulator start. / No channel configured: starting the console simulator.\n`,
          );
          await (await import('../chat.js')).runChat(app);
          await app.stop();
          return;
        }
        if (!channelsConfigured(env))
          log.warn('no channel configured: use `straatpraat chat` to talk to the bot');
        await signals!.started(app);
      }),
    );

  program
    .command('migrate')
    .description('create the database if missing and bring its schema up to date')
    .action(() =>
      run(async (ctx) => {
        const env = ctx.env;
        await storageAnswers(env);
        await (await import('../../app.js')).prepareStorage(env);
        process.stdout.write('database is up to date\n');
      }),
    );

  program
    .command('chat')
    .description('talk to the bot as a resident in this terminal (the same resident every run)')
    .option('--as <name>', 'be another console resident')
    .action((opts: { as?: string }) =>
      run(async (ctx) => {
        const env = ctx.env;
        const log = createLogger(process.env.LOG_LEVEL ? env.LOG_LEVEL : 'warn');
        await storageAnswers(env);
        const app = await (await import('../../app.js')).startApp({ env, log, role: 'all', http: false });
        try {
          await (await import('../chat.js')).runChat(app, { ...(opts.as !== undefined && { as: opts.as }) });
        } finally {
          await app.stop();
        }
      }),
    );
}
