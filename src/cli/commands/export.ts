import { createWriteStream } from 'node:fs';
import { type Command, Option } from 'commander';
import { prepareStorage } from '../../app.js';
import { parseEnv } from '../../config/env.js';
import { StartupError } from '../../errors.js';
import { exportResponsesCsv, ResponseFiltersSchema } from '../../export/responses.js';
import { guarded } from '../guarded.js';

/** `export`: pseudonymous data for analysts. */
export function registerExportCommands(program: Command): void {
  program
    .command('export')
    .description('export pseudonymous data for analysts (streams; memory stays flat)')
    .argument('<dataset>', 'responses')
    .addOption(new Option('--format <format>', 'file format').choices(['csv']).default('csv'))
    .option('--out <file>', 'write to a file instead of standard output')
    .option('--poll <id>', 'only this poll')
    .option('--wave <id>', 'only this wave')
    .option('--area <area>', 'only this area (nazareth, pottenberg, elders, geen)')
    .option('--from <date>', 'answered on or after this day (YYYY-MM-DD)')
    .option('--to <date>', 'answered on or before this day (YYYY-MM-DD)')
    .addOption(
      new Option('--delimiter <char>', 'field separator; ; for Dutch Excel').choices([',', ';']).default(','),
    )
    .option('--bom', 'start with a byte order mark (Excel)')
    .action(
      (
        dataset: string,
        opts: { format: string; out?: string; delimiter: ',' | ';'; bom?: boolean } & Record<
          string,
          string | undefined
        >,
      ) =>
        guarded(async () => {
          if (dataset !== 'responses')
            throw new StartupError(`export: unknown dataset "${dataset}"; available: responses.`);
          const filters = ResponseFiltersSchema.safeParse({
            poll: opts.poll,
            wave: opts.wave,
            area: opts.area,
            from: opts.from,
            to: opts.to,
          });
          if (!filters.success) {
            const issue = filters.error.issues[0]!;
            throw new StartupError(
              `export: --${issue.path.join('.')} is invalid: expected ${issue.message}.`,
            );
          }
          const env = parseEnv();
          await prepareStorage(env);
          const out = opts.out ? createWriteStream(opts.out) : process.stdout;
          await exportResponsesCsv(env.DATABASE_URL, out, filters.data, {
            delimiter: opts.delimiter,
            bom: Boolean(opts.bom),
          });
          if (opts.out)
            await new Promise<void>((resolve, reject) =>
              out.end((e?: Error | null) => (e ? reject(e) : resolve())),
            );
        }),
    );
}
