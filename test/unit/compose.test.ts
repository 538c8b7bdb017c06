import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';

const compose = readFileSync(new URL('../../docker-compose.yml', import.meta.url), 'utf8');
const operations = readFileSync(new URL('../../docs/operations.md', import.meta.url), 'utf8');
const appService = compose.slice(compose.indexOf('\n  app:'), compose.indexOf('\n  # caddy:'));

/** The app's health check: the script handed to `node -e`. */
function healthScript(): string {
  const m = /healthcheck:\n\s+test:\n\s+- CMD\n\s+- node\n\s+- -e\n\s+- "(.+)"\n/.exec(appService);
  if (!m) throw new Error('the app service has no `node -e` health check');
  return m[1]!;
}

/** Runs the health check against `port` (not blocking: the server answering it runs in this process). */
function runCheck(port: number): Promise<number | null> {
  const script = healthScript().replace('127.0.0.1:8080', `127.0.0.1:${port}`);
  const child = spawn(process.execPath, ['-e', script], { stdio: 'ignore', timeout: 10_000 });
  return new Promise((resolve) => child.on('close', resolve));
}

describe('the compose app service', () => {
  it('has a health check that passes while /healthz answers and fails when nothing does', async () => {
    expect(healthScript()).toContain("'http://127.0.0.1:8080/healthz'");
    const server = createServer((req, res) => {
      res.statusCode = req.url === '/healthz' ? 200 : 404;
      res.end('{"status":"ok"}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    expect(await runCheck(port)).toBe(0);
    await new Promise((resolve) => server.close(resolve));
    expect(await runCheck(port)).toBe(1);
  });

  it('hands the operator’s service points to the app, and the steps are documented', () => {
    const file = /SERVICE_POINTS_FILE: (\S+)/.exec(appService)?.[1];
    expect(file).toBe('/run/configs/service-points.json');
    expect(appService).toContain(`target: ${file}`);
    expect(compose).toMatch(/configs:\n\s+service_points:\n(\s+#.*\n)*\s+file: \.\/service-points\.json/);
    expect(operations).toContain('## Starting with docker compose');
    expect(operations).toContain('cp config/service-points.json service-points.json');
  });
});
