import { afterAll, describe, expect, it } from 'vitest';
import { exited, FaultLoad } from './load.js';

let load: FaultLoad | undefined;

afterAll(async () => {
  await load?.close();
});

describe('four worker processes on one Redis and PostgreSQL', () => {
  it('loses no answer and counts none twice when two of four workers are SIGKILLed mid-run', async () => {
    // 720 answers: enough for every partition to be busy in each process when a worker dies, few
    // enough that the run costs less than starting the four processes.
    load = await FaultLoad.create({ residents: 240 });
    // Started together: on two cores loading four processes costs more than the whole run. On a busy
    // machine they take a while.
    const four = Array.from({ length: 4 }, () => load!.startWorker());
    await Promise.all(four.map((w) => load!.ready(w, 120_000)));
    const sending = load.sendAll();

    // Two random moments between 10% and 70% of the run, each killing a worker that is alive; one
    // is replaced, so the run ends with three processes sharing the partitions.
    const moments = [0.1 + Math.random() * 0.3, 0.4 + Math.random() * 0.3];
    for (const [k, moment] of moments.entries()) {
      await load.reach(Math.floor(load.expected * moment));
      const alive = load.alive();
      const victim = alive[Math.floor(Math.random() * alive.length)]!;
      victim.kill('SIGKILL');
      await exited(victim);
      if (k === 0) load.startWorker();
    }
    await sending;

    const result = await load.settle(60_000);
    expect(result.answers).toBe(load.expected);
    expect(result.distinctAnswers).toBe(load.expected);
    expect(result.inboundLogged).toBe(load.expected);
    expect(result.ledger).toBe(load.expected);
    expect(result.unfinished).toEqual({});
    expect(load.workers.filter((w) => w.signalCode === 'SIGKILL')).toHaveLength(2);
    expect(load.alive()).toHaveLength(3);
  }, 240_000);
});
