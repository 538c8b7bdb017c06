import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { PG_BASE } from '../helpers/env.js';
import { freePort } from '../helpers/redis-server.js';
import { FaultLoad, sleep } from './load.js';

/** A TCP proxy in front of PostgreSQL that the test can cut: no connection gets through while cut. */
class PostgresProxy {
  port = 0;
  readonly #sockets = new Set<Socket>();
  #server: Server | undefined;
  readonly #target = new URL(PG_BASE);

  async listen(): Promise<void> {
    if (this.port === 0) this.port = await freePort();
    const server = createServer((client) => {
      const upstream = connect(Number(this.#target.port || 5432), this.#target.hostname);
      for (const s of [client, upstream]) {
        this.#sockets.add(s);
        s.on('error', () => {});
        s.on('close', () => {
          this.#sockets.delete(s);
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream);
      upstream.pipe(client);
    });
    this.#server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
  }

  /** Refuses new connections and drops every open one. */
  async cut(): Promise<void> {
    const server = this.#server;
    const closed = new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    for (const s of this.#sockets) s.destroy();
    await closed;
  }
}

const proxy = new PostgresProxy();
let load: FaultLoad | undefined;

afterAll(async () => {
  await load?.close();
  await proxy.cut();
});

describe('PostgreSQL unreachable under load', () => {
  it('loses no answer and counts none twice when every database connection is cut for 10 s', async () => {
    await proxy.listen();
    load = await FaultLoad.create({
      residents: 700,
      workerDatabaseUrl: (direct) => {
        const u = new URL(direct);
        u.hostname = '127.0.0.1';
        u.port = String(proxy.port);
        return u.toString();
      },
    });
    const worker = load.startWorker();
    await load.ready(worker);
    await load.sendAll();

    await load.reach(Math.floor(load.expected * (0.2 + Math.random() * 0.3)));
    await proxy.cut();
    const during = await load.stored();
    await sleep(10_000);
    // Nothing can have been stored through a cut connection.
    expect(await load.stored()).toBeLessThanOrEqual(during + 8);
    await proxy.listen();

    const result = await load.settle(120_000);
    expect(result.answers).toBe(load.expected);
    expect(result.distinctAnswers).toBe(load.expected);
    expect(result.inboundLogged).toBe(load.expected);
    expect(result.ledger).toBe(load.expected);
    expect(result.unfinished).toEqual({});
    expect(load.alive()).toContain(worker);
  }, 180_000);
});
