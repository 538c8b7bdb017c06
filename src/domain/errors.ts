/**
 * An error that stops the process at start-up with one readable line and exit code 2
 * (bad configuration, unreachable PostgreSQL or Redis). Never printed with a stack trace.
 */
export class StartupError extends Error {
  override readonly name = 'StartupError';
  readonly exitCode = 2;
}
