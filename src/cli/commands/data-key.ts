import type { Command } from 'commander';
import { resealRows } from '../../db/sealed-columns.js';
import { recordAudit } from '../../desk/audit.js';
import { loadSealer } from '../../privacy/sealed.js';
import { run } from '../context.js';
import { note, print } from '../output.js';

/** `data-key`: the key that seals the message log, help texts, WhatsApp credentials and age groups. */
export function registerDataKeyCommands(program: Command): void {
  const dataKey = program
    .command('data-key')
    .description('the data key that seals stored texts (see "The data key" in docs/operations.md)');

  dataKey
    .command('reseal')
    .description(
      'after a rotation: seal every value the previous key (DATA_KEY_PREVIOUS) opens with DATA_KEY; safe to run again',
    )
    .option('--json', 'one JSON object')
    .action((opts: { json?: boolean }) =>
      run(async (ctx) => {
        const sealer = loadSealer(ctx.env);
        if (!sealer.rotating) note('no DATA_KEY_PREVIOUS set: only values still in plain text are sealed');
        const db = await ctx.db();
        const columns = await resealRows(db, sealer, (c) =>
          note(`${c.column}: ${c.resealed} re-sealed, ${c.unreadable} unreadable`),
        );
        const resealed = columns.reduce((n, c) => n + c.resealed, 0);
        const unreadable = columns.reduce((n, c) => n + c.unreadable, 0);
        await recordAudit(db, 'cli', 'data-key.reseal', { resealed, unreadable }, new Date());
        print(opts.json, { resealed, unreadable, columns }, () => [
          `${resealed} values re-sealed with DATA_KEY, ${unreadable} that no key opens`,
        ]);
        if (unreadable > 0) {
          note(
            'some values open with neither DATA_KEY nor DATA_KEY_PREVIOUS: keep the old key until they are found (see docs/operations.md)',
          );
          process.exitCode = 1;
        } else {
          note(
            'every sealed value opens with DATA_KEY: remove DATA_KEY_PREVIOUS, restart, destroy the old key',
          );
        }
      }),
    );
}
