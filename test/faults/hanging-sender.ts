import { BASE_CAPABILITIES, type ChannelAdapter } from '../../adapters/channel.js';
import { parseEnv } from '../../src/config/env.js';
import { createDb } from '../../src/db/connect.js';
import { createLogger } from '../../src/log.js';
import { Metrics } from '../../src/metrics.js';
import { OutboundWorker } from '../../src/queue/outbound-worker.js';
import { createRedis } from '../../src/queue/redis.js';

/**
 * A console sender process that is killed mid-send: the app's outbound worker, with the app's lock
 * settings (QUEUE_LOCK_MS from the environment), whose platform never answers. It prints `ready` when
 * it takes jobs and `sending` when it is inside a send; the test then SIGKILLs it. Run by
 * test/faults/crash-wait.test.ts as `node --import tsx test/faults/hanging-sender.ts`.
 */
const env = parseEnv(process.env);
const connection = createRedis(env.REDIS_URL);
const adapter: ChannelAdapter = {
  name: 'console',
  capabilities: BASE_CAPABILITIES,
  start: async () => {},
  stop: async () => {},
  send: () => {
    process.stdout.write('sending\n');
    return new Promise(() => {});
  },
};
const worker = new OutboundWorker({
  connection,
  prefix: env.QUEUE_PREFIX,
  adapter,
  db: createDb(env.DATABASE_URL, 2),
  log: createLogger('warn'),
  metrics: new Metrics(),
  lockMs: env.QUEUE_LOCK_MS,
});
await worker.ready();
process.stdout.write('ready\n');
