import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CLI_BUNDLE_VAR } from './cli-bundle.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = fileURLToPath(new URL('../../bin/straatpraat.js', import.meta.url));

/**
 * The CLI the tests run: the bundle test/global-setup.ts built for this run (the same sources, without
 * transpiling them again in every process), or bin/straatpraat.js outside Vitest (benches, tools).
 */
function entry(): string {
  return process.env[CLI_BUNDLE_VAR] ?? BIN;
}

type CliResult = { code: number | null; stdout: string; stderr: string; ms: number };

/**
 * Runs the CLI to completion with the given environment and standard input, in `cwd` (the checkout
 * unless given; a `.env` there is read by the CLI).
 */
export function runCli(...args: CliArgs): Promise<CliResult> {
  return run(entry(), ...args);
}

/** {@link runCli} through the shipped entry, bin/straatpraat.js with tsx, as a user runs it. */
export function runShippedCli(...args: CliArgs): Promise<CliResult> {
  return run(BIN, ...args);
}

/** Arguments, environment, standard input, timeout and working directory of one CLI run. */
type CliArgs = [
  args: string[],
  vars: Record<string, string>,
  input?: string,
  timeoutMs?: number,
  cwd?: string,
];

function run(
  script: string,
  args: string[],
  vars: Record<string, string>,
  input = '',
  timeoutMs = 30_000,
  cwd = ROOT,
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, [script, ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...skipDotenv(cwd), ...vars },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`straatpraat ${args.join(' ')} did not finish in ${timeoutMs} ms\n${stdout}\n${stderr}`),
      );
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
    child.stdin.end(input);
  });
}

/** Starts the CLI in the background (for kill and restart tests). */
export function spawnCli(
  args: string[],
  vars: Record<string, string>,
): ChildProcess & { output: () => string } {
  const child = spawn(process.execPath, [entry(), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...skipDotenv(ROOT), ...vars },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d) => {
    out += d;
  });
  child.stderr?.on('data', (d) => {
    out += d;
  });
  return Object.assign(child, { output: () => out });
}

/** In the checkout a developer's own `.env` (channel tokens, their database) must not reach a test. */
function skipDotenv(cwd: string): Record<string, string> {
  return cwd === ROOT ? { STRAATPRAAT_DOTENV: 'off' } : {};
}
