import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const VITEST = fileURLToPath(new URL('../../node_modules/vitest/vitest.mjs', import.meta.url));
const CONFIG = fileURLToPath(new URL('../fixtures/closing-line/vitest.config.ts', import.meta.url));

describe('the closing line of a test run', () => {
  it('counts the tests of a suite that failed to set up, and a file that failed to load, as failed', () => {
    const run = spawnSync(process.execPath, [VITEST, 'run', '--config', CONFIG], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', CI: '1' },
      timeout: 60_000,
    });
    expect(run.status).toBe(1);
    const lines = run.stdout.trim().split('\n');
    expect(lines.at(-1)).toBe('tests: 1 passed, 3 failed, 1 skipped');
  });
});
