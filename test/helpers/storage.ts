import { converse } from '../../flows/conversation.js';
import { loadTexts } from '../../flows/i18n/texts.js';
import { loadPolls } from '../../flows/polls/catalog.js';
import { flowConfig, prepareStorage } from '../../src/app.js';
import { createDb } from '../../src/db/connect.js';
import { Engine } from '../../src/engine/engine.js';
import { Pseudonymizer } from '../../src/privacy/pseudonym.js';
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

/** A fresh installation's database with the engine on it, as the workers run it (no queues). */
export interface TestEngine {
  setup: TestSetup;
  db: ReturnType<typeof createDb>;
  engine: Engine;
  /** Closes the connections and drops the database. */
  close(): Promise<void>;
}

/** Opens a migrated database and an engine with the real conversation flow, texts and polls. */
export async function openTestEngine(overrides: Record<string, string> = {}): Promise<TestEngine> {
  const setup = testSetup(overrides);
  await prepareStorage(setup.env);
  const db = createDb(setup.env.DATABASE_URL, 2);
  const engine = new Engine({
    db,
    pseudonyms: new Pseudonymizer(Buffer.from(setup.env.PSEUDONYM_KEY!, 'utf8')),
    flow: converse,
    context: { config: flowConfig(setup.env), texts: loadTexts(), polls: loadPolls() },
  });
  return {
    setup,
    db,
    engine,
    async close() {
      await db.destroy();
      await setup.cleanup();
    },
  };
}
