import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { startTestApp } from '../helpers/app.js';
import { rawRequest } from '../helpers/http.js';

// Short timeouts and a small connection cap, so the attacks show within seconds.
let app: App;
let stop: () => Promise<void>;
let base: string;

beforeAll(async () => {
  ({ app, stop } = await startTestApp(
    {
      HTTP_HEADERS_TIMEOUT_MS: '1000',
      HTTP_REQUEST_TIMEOUT_MS: '2000',
      HTTP_KEEP_ALIVE_TIMEOUT_MS: '1000',
      HTTP_MAX_CONNECTIONS: '3',
    },
    'ingress',
  ));
  base = `http://127.0.0.1:${app.httpPort}`;
}, 60_000);

afterAll(async () => {
  await stop?.();
});

/**
 * Streams `total` bytes of form body, chunked (no Content-Length), until the server answers or cuts
 * the upload; meanwhile samples this process's RSS (the server runs in it). Resolves with the status
 * (0 when the connection was cut before an answer), the bytes sent and the highest RSS seen.
 */
function streamHugeForm(
  url: string,
  total: number,
): Promise<{ status: number; sent: number; peakRss: number }> {
  return new Promise((resolve) => {
    const chunk = Buffer.alloc(64 * 1024, 'a');
    let sent = 0;
    let status = 0;
    let peakRss = process.memoryUsage.rss();
    let finished = false;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage.rss());
    }, 10);
    const finish = () => {
      if (finished) return;
      finished = true;
      clearInterval(sampler);
      peakRss = Math.max(peakRss, process.memoryUsage.rss());
      req.destroy();
      resolve({ status, sent, peakRss });
    };
    const req = request(url, {
      method: 'POST',
      agent: false,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'transfer-encoding': 'chunked',
        origin: new URL(url).origin,
      },
    });
    req.on('response', (res) => {
      status = res.statusCode ?? 0;
      res.resume();
      res.on('end', finish);
      res.on('error', finish);
    });
    req.on('error', finish);
    req.on('close', () => setTimeout(finish, 50));
    req.write('token=');
    const pump = () => {
      while (!finished && sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) {
          req.once('drain', pump);
          return;
        }
      }
      if (!finished) req.end();
    };
    pump();
  });
}

/** Resolves with the ms until the server closes the socket, or undefined if it stays open for `waitMs`. */
function closedWithin(socket: Socket, waitMs: number): Promise<number | undefined> {
  const started = Date.now();
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), waitMs);
    socket.on('error', () => {});
    // Read what the server sends (a 408), or the socket's end would wait for a reader.
    socket.resume();
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Date.now() - started);
    });
  });
}

function openSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.on('error', reject);
  });
}

describe('request bodies', () => {
  it('refuse a 300 MB chunked sign-in post with 413 without the memory of the process growing', async () => {
    const url = `${base}/results/login`;
    // Warm up the route, so the measurement sees the upload and nothing else.
    await rawRequest(url, { method: 'POST', headers: { origin: base }, body: 'token=x' });
    const before = process.memoryUsage.rss();
    const result = await streamHugeForm(url, 300 * 1024 * 1024);
    expect(result.status).toBe(413);
    // Far less than the 300 MB offered was taken in before the answer and the cut.
    expect(result.sent).toBeLessThan(300 * 1024 * 1024);
    const growth = result.peakRss - before;
    console.log(
      `300 MB upload: ${(result.sent / 2 ** 20).toFixed(1)} MiB sent before the cut, RSS grew ${(growth / 2 ** 20).toFixed(1)} MiB`,
    );
    expect(growth).toBeLessThan(64 * 1024 * 1024);
    // The server goes on answering.
    expect((await rawRequest(`${base}/healthz`)).status).toBe(200);
  }, 60_000);

  it('refuse a body whose Content-Length is too large at once, before reading it', async () => {
    const started = Date.now();
    const result = await new Promise<number>((resolve, reject) => {
      const req = request(`${base}/results/login`, {
        method: 'POST',
        agent: false,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': String(300 * 1024 * 1024),
          origin: base,
        },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
        req.destroy();
      });
      req.on('error', reject);
      req.write('token=abc');
    });
    expect(result).toBe(413);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('still take a normal sign-in form', async () => {
    const res = await rawRequest(`${base}/results/login`, {
      method: 'POST',
      headers: { origin: base, 'content-type': 'application/x-www-form-urlencoded' },
      body: `token=${'x'.repeat(1000)}`,
    });
    expect(res.status).toBe(401);
    expect(res.body).toContain('Deze toegangscode werkt niet');
  });
});

describe('slow clients', () => {
  it('are cut off when their headers do not arrive within HTTP_HEADERS_TIMEOUT_MS', async () => {
    const socket = await openSocket(app.httpPort!);
    socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    const ms = await closedWithin(socket, 6_000);
    socket.destroy();
    expect(ms, 'the half-sent request was still open after 6 s').toBeDefined();
    expect(ms!).toBeLessThan(4_000);
  }, 10_000);

  it('are cut off when their body trickles in longer than HTTP_REQUEST_TIMEOUT_MS', async () => {
    const socket = await openSocket(app.httpPort!);
    socket.write(
      `POST /results/login HTTP/1.1\r\nHost: 127.0.0.1:${app.httpPort}\r\nOrigin: ${base}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n`,
    );
    const drip = setInterval(() => socket.writable && socket.write('a'), 200);
    const ms = await closedWithin(socket, 7_000);
    clearInterval(drip);
    socket.destroy();
    expect(ms, 'the trickling request was still open after 7 s').toBeDefined();
    expect(ms!).toBeLessThan(5_000);
  }, 10_000);
});

describe('the connection cap', () => {
  it('turns away connections beyond HTTP_MAX_CONNECTIONS and serves again when they close', async () => {
    // Connections from other tests have closed by now (cut or answered with Connection: close).
    await new Promise((r) => setTimeout(r, 300));
    const held = await Promise.all([0, 1, 2].map(() => openSocket(app.httpPort!)));
    await new Promise((r) => setTimeout(r, 100));
    await expect(rawRequest(`${base}/healthz`)).rejects.toThrow(/socket hang up|ECONNRESET|EPIPE/);
    for (const socket of held) socket.destroy();
    await new Promise((r) => setTimeout(r, 200));
    expect((await rawRequest(`${base}/healthz`)).status).toBe(200);
  });
});

describe('processes that do not receive', () => {
  it('serve no HTTP at all as a worker or a scheduler', async () => {
    for (const role of ['worker', 'scheduler'] as const) {
      const other = await startTestApp({}, role);
      try {
        expect(other.app.httpPort, role).toBeUndefined();
      } finally {
        await other.stop();
      }
    }
  }, 60_000);

  it('serve /metrics and nothing else when METRICS_PORT is set', async () => {
    const other = await startTestApp({ METRICS_PORT: '0' }, 'scheduler');
    try {
      const at = `http://127.0.0.1:${other.app.httpPort}`;
      const metrics = await rawRequest(`${at}/metrics`);
      expect(metrics.status).toBe(200);
      expect(metrics.body).toContain('straatpraat_queue_depth');
      for (const path of ['/results', '/api/aggregates.json', '/admin/queues', '/healthz'])
        expect((await rawRequest(`${at}${path}`)).status, path).toBe(404);
    } finally {
      await other.stop();
    }
  }, 60_000);
});
