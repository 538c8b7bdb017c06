import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}

/**
 * A Redis server owned by one test, on its own port and folder, so the machine's Redis is left
 * alone when the test stops or restarts it.
 */
export class TestRedisServer {
  readonly dir = mkdtempSync(join(tmpdir(), 'straatpraat-redis-'));
  port = 0;
  #process: ChildProcess | undefined;

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(options: { appendOnly?: boolean; cluster?: boolean } = {}): Promise<void> {
    if (this.port === 0) this.port = await freePort();
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--save', ''];
    if (options.cluster)
      args.push('--cluster-enabled', 'yes', '--cluster-config-file', join(this.dir, 'nodes.conf'));
    args.push('--appendonly', options.appendOnly ? 'yes' : 'no', '--appendfsync', 'always');
    args.push('--maxmemory-policy', 'noeviction');
    const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.#process = child;
    await new Promise<void>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`redis-server did not start: ${out}`)), 10_000);
      child.stdout!.on('data', (d) => {
        out += d;
        if (out.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${out}`)));
    });
  }

  /** Kills the server at once (SIGKILL), as a crash would. */
  async kill(): Promise<void> {
    const child = this.#process;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }
}

/**
 * A Redis Cluster of three masters (no replicas) on free ports, owned by one test: `redis-server`
 * with cluster mode on and `redis-cli --cluster create` to hand out the slots. `url` is one node.
 */
export class TestRedisCluster {
  readonly nodes = [new TestRedisServer(), new TestRedisServer(), new TestRedisServer()];

  get url(): string {
    return this.nodes[0]!.url;
  }

  async start(): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.start({ cluster: true })));
    const addresses = this.nodes.map((n) => `127.0.0.1:${n.port}`);
    await new Promise<void>((resolve, reject) => {
      const cli = spawn(
        'redis-cli',
        ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes'],
        {
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let out = '';
      cli.stdout!.on('data', (d) => {
        out += d;
      });
      cli.stderr!.on('data', (d) => {
        out += d;
      });
      cli.once('error', reject);
      cli.once('exit', (code) =>
        code === 0 ? resolve() : reject(new Error(`redis-cli --cluster create exited with ${code}: ${out}`)),
      );
    });
  }

  async kill(): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.kill()));
  }
}
