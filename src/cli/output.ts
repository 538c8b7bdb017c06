/**
 * What every command prints on standard output. With `--json`: exactly one JSON document (an
 * object or an array), so `straatpraat … --json | jq` always works. Without it: lines of text for a
 * person. Progress, notes and errors go to standard error in both cases.
 */
export function print(json: boolean | undefined, value: unknown, lines: () => readonly string[]): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(value)}\n`);
    return;
  }
  const text = lines();
  if (text.length > 0) process.stdout.write(`${text.join('\n')}\n`);
}

/** A note for the person at the terminal that is not the command's result (stderr). */
export function note(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** A moment as people read it in the city's time zone ("14 Mar 2026, 10:00"), or a dash for none. */
export function when(date: Date | string | null, timeZone: string): string {
  if (date === null) return '—';
  return new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(
    new Date(date),
  );
}
