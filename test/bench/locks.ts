import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { lockOptions } from '../../src/queue/locks.js';
import { TestRedisServer } from '../helpers/redis-server.js';
import type { ScenarioResult } from './report.js';

const PARTITIONS = 64;
const SECONDS = 20;

/**
 * What the stalled checks and lock renewals of idle partition workers cost Redis: 64 inbound queues
 * per process, on a Redis of its own (so nothing else counts), commands per second and Redis CPU
 * from `INFO` over 20 s, with the shipped lock settings beside BullMQ's defaults we had before.
 */
export async function locksScenario(): Promise<ScenarioResult> {
  const rows: ScenarioResult['rows'] = [];
  const settings = {
    'lock 4 s, check every 0.5 s (now)': lockOptions(4_000),
    'lock 30 s, check every 15 s (before)': { lockDuration: 30_000, stalledInterval: 15_000 },
  };
  for (const processes of [1, 4]) {
    for (const [name, options] of Object.entries(settings)) {
      const { commands, cpu } = await idleCost(processes, options);
      const who = `${processes} process${processes > 1 ? 'es' : ''} × ${PARTITIONS} idle queues, ${name}`;
      rows.push({ measure: `${who}: Redis commands`, value: commands, unit: '/s' });
      rows.push({ measure: `${who}: Redis CPU`, value: cpu, unit: '% of a core' });
    }
  }
  return { scenario: 'locks', rows };
}

async function idleCost(
  processes: number,
  options: { lockDuration: number; stalledInterval: number; lockRenewTime?: number },
): Promise<{ commands: number; cpu: number }> {
  const server = new TestRedisServer();
  await server.start();
  const connections: Redis[] = [];
  const workers: Worker[] = [];
  const probe = new Redis(server.url);
  try {
    // One connection per process, as each worker process shares one among its partition workers.
    for (let p = 0; p < processes; p++) {
      const connection = new Redis(server.url, { maxRetriesPerRequest: null });
      connections.push(connection);
      for (let q = 0; q < PARTITIONS; q++) {
        workers.push(
          new Worker(`inbound-${q}`, async () => {}, {
            connection,
            prefix: 'bench',
            concurrency: 1,
            maxStalledCount: 1_000,
            ...options,
          }),
        );
      }
    }
    await Promise.all(workers.map((w) => w.waitUntilReady()));
    await new Promise((r) => setTimeout(r, 3_000));
    const before = await redisStats(probe);
    await new Promise((r) => setTimeout(r, SECONDS * 1_000));
    const after = await redisStats(probe);
    // The two INFO calls of the probe itself are left out.
    return {
      commands: (after.calls - before.calls - 1) / SECONDS,
      cpu: ((after.cpu - before.cpu) / SECONDS) * 100,
    };
  } finally {
    await Promise.all(workers.map((w) => w.close()));
    for (const c of connections) c.disconnect();
    probe.disconnect();
    await server.kill();
  }
}

async function redisStats(probe: Redis): Promise<{ calls: number; cpu: number }> {
  const info = await probe.info();
  const calls = Number(/total_commands_processed:(\d+)/.exec(info)![1]);
  const cpu =
    Number(/used_cpu_sys:([\d.]+)/.exec(info)![1]) + Number(/used_cpu_user:([\d.]+)/.exec(info)![1]);
  return { calls, cpu };
}
