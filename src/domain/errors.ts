/**
 * An error that stops the process at start-up with one readable line and exit code 2
 * (bad configuration, unreachable PostgreSQL or Redis). Never printed with a stack trace.
 */
export class StartupError extends Error {
  override readonly name = 'StartupError';
  /** 2 unless told otherwise (1 for a request that could not be carried out, e.g. an unknown id). */
  readonly exitCode: number;

  constructor(message: string, exitCode = 2) {
    super(message);
    this.exitCode = exitCode;
  }
}
