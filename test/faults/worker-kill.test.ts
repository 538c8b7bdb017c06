import { afterAll, describe, expect, it } from 'vitest';
import { exited, FaultLoad } from './load.js';

let load: FaultLoad | undefined;

afterAll(async () => {
  await load?.close();
});

describe('worker processes killed under load', () => {
  it('loses no answer and counts none twice when workers are SIGKILLed three times at random moments', async () => {
    load = await FaultLoad.create({ residents: 700 });
    const first = [load.startWorker(), load.startWorker()];
    await Promise.all(first.map((w) => load!.ready(w)));
    const sending = load.sendAll();

    // Three random moments between 10% and 80% of the run, each killing the oldest worker alive.
    const moments = Array.from({ length: 3 }, () => 0.1 + Math.random() * 0.7).sort((a, b) => a - b);
    for (const moment of moments) {
      await load.reach(Math.floor(load.expected * moment));
      const victim = load.alive()[0]!;
      victim.kill('SIGKILL');
      await exited(victim);
      load.startWorker();
    }
    await sending;

    const result = await load.settle(120_000);
    expect(result.answers).toBe(load.expected);
    expect(result.distinctAnswers).toBe(load.expected);
    expect(result.inboundLogged).toBe(load.expected);
    expect(result.ledger).toBe(load.expected);
    expect(result.unfinished).toEqual({});
    expect(load.workers.filter((w) => w.signalCode === 'SIGKILL')).toHaveLength(3);
  }, 180_000);
});
