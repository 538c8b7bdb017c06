import { StartupError } from '../domain/errors.js';

/** Runs `work`, turning start-up problems into one line on stderr and exit code 2. */
export async function guarded(work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (error instanceof StartupError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(error.exitCode);
    }
    const reason = error instanceof Error ? error.message : String(error);
    process.stderr.write(`straatpraat: ${reason.split('\n')[0]}\n`);
    if (process.env.LOG_LEVEL === 'debug' && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    process.exit(1);
  }
}
