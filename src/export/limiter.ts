/**
 * How many exports may run at the same time: at most `perHolder` for one API token and `overall`
 * for the whole process (the export pool's size, so a running export always has a connection).
 * Exports beyond that are refused at once (HTTP 429) instead of waiting, so slow downloads cannot
 * pile up.
 */
export class ExportLimiter {
  readonly #running = new Map<string, number>();
  #total = 0;

  constructor(
    readonly perHolder: number,
    readonly overall: number,
  ) {}

  /** Takes a place for `holder`; returns the function that gives it back, or undefined when full. */
  tryAcquire(holder: string): (() => void) | undefined {
    const mine = this.#running.get(holder) ?? 0;
    if (mine >= this.perHolder || this.#total >= this.overall) return undefined;
    this.#running.set(holder, mine + 1);
    this.#total += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#total -= 1;
      const left = (this.#running.get(holder) ?? 1) - 1;
      if (left === 0) this.#running.delete(holder);
      else this.#running.set(holder, left);
    };
  }

  /** Exports running now. */
  get running(): number {
    return this.#total;
  }
}
