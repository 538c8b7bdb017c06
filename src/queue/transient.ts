/**
 * Errors that say "try again later" (a database or Redis that is restarting, a lost connection),
 * as opposed to a bug or bad data that would fail again.
 */
export function isTransient(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    // PostgreSQL: connection exceptions, shutdown, too many connections, serialization and deadlock.
    if (/^(08|57P0|53300|40001|40P01)/.test(code)) return true;
    if (
      ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH'].includes(
        code,
      )
    ) {
      return true;
    }
  }
  const text = error.message;
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Connection is closed|the database system is (starting up|shutting down)|terminating connection/i.test(
    text,
  );
}
