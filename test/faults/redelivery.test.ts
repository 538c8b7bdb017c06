import { afterAll, describe, expect, it } from 'vitest';
import { partitionOf } from '../../src/queue/names.js';
import { FaultLoad } from './load.js';

let load: FaultLoad | undefined;

afterAll(async () => {
  await load?.close();
});

describe('every message delivered three times', () => {
  it('stores each answer once when every message arrives three times plus once past the Redis dedupe', async () => {
    load = await FaultLoad.create({ residents: 700 });
    const workers = [load.startWorker(), load.startWorker()];
    await Promise.all(workers.map((w) => load!.ready(w)));
    const l = load;
    await l.sendAll(async (message) => {
      await Promise.all([l.ingress.accept(message), l.ingress.accept(message), l.ingress.accept(message)]);
      // The same message under a new job id, as if Redis had forgotten the first: only the ledger stops it.
      const partition = partitionOf(message.channel, message.address, l.queues.partitions);
      await l.queues
        .inbound(partition)
        .add('inbound', message, { jobId: `again-${message.channel}-${message.platformId}` });
    });

    const result = await l.settle(120_000);
    expect(result.answers).toBe(l.expected);
    expect(result.distinctAnswers).toBe(l.expected);
    expect(result.inboundLogged).toBe(l.expected);
    expect(result.ledger).toBe(l.expected);
    expect(result.unfinished).toEqual({});
  }, 180_000);
});
