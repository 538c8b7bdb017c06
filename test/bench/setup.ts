import { EnvSchema } from '../../src/config/env.js';
import { type TestSetup, testSetup } from '../helpers/env.js';

/**
 * A bench's own database and queue prefix with the installation's default partitions and worker
 * concurrency (the test helpers use fewer), unless BENCH_PARTITIONS or BENCH_CONCURRENCY say otherwise.
 */
export function benchSetup(overrides: Record<string, string>): TestSetup {
  const defaults = EnvSchema.shape;
  return testSetup({
    INBOUND_PARTITIONS: process.env.BENCH_PARTITIONS ?? String(defaults.INBOUND_PARTITIONS.parse(undefined)),
    WORKER_CONCURRENCY: process.env.BENCH_CONCURRENCY ?? String(defaults.WORKER_CONCURRENCY.parse(undefined)),
    ...overrides,
  });
}
