import { prepareStorage } from '../../src/app.js';
import { createDb } from '../../src/db/connect.js';
import { Queues } from '../../src/queue/queues.js';
import { createRedis } from '../../src/queue/redis.js';
import { type TestSetup, testSetup } from './env.js';

/** A test file's own database (migrated) and queues on the real PostgreSQL and Redis, without the app. */
export interface TestStorage {
  setup: TestSetup;
  db: ReturnType<typeof createDb>;
  redis: ReturnType<typeof createRedis>;
  queues: Queues;
  /** Closes the queues and connections, then drops the database and the queue keys. */
  close(): Promise<void>;
}

/** Opens a fresh installation's storage: the database migrated, four connections, the queues made. */
export async function openTestStorage(overrides: Record<string, string> = {}): Promise<TestStorage> {
  const setup = testSetup(overrides);
  await prepareStorage(setup.env);
  const db = createDb(setup.env.DATABASE_URL, 4);
  const redis = createRedis(setup.env.REDIS_URL);
  const queues = new Queues(redis, setup.env.QUEUE_PREFIX, setup.env.INBOUND_PARTITIONS);
  await queues.init();
  return {
    setup,
    db,
    redis,
    queues,
    async close() {
      await queues.close();
      redis.disconnect();
      await db.destroy();
      await setup.cleanup();
    },
  };
}
