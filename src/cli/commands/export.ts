import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { type Command, Option } from 'commander';
import { loadPollCatalog as loadPollFiles } from '../../config/polls.js';
import { recordAudit } from '../../desk/audit.js';
import { StartupError } from '../../domain/errors.js';
import {
  auditDetails,
  DATASET_NAMES,
  DATASETS,
  describeIssue,
  ExportRequestSchema,
  FORMATS,
  writeExport,
} from '../../export/datasets.js';
import { ExportPool } from '../../export/pool.js';
import { run } from '../context.js';
import { note } from '../output.js';

const FLAG_OF: Record<string, string> = { panelIds: 'panel-ids', dataset: 'dataset' };

interface ExportOptions {
  format?: string;
  out?: string;
  poll?: string;
  wave?: string;
  area?: string;
  from?: string;
  to?: string;
  delimiter: ',' | ';';
  bom?: boolean;
  panelIds?: boolean;
}

/** `export`: pseudonymous data for analysts. */
export function registerExportCommands(program: Command): void {
  program
    .command('export')
    .description('export pseudonymous data for analysts (streams; memory stays flat)')
    .argument('<dataset>', DATASET_NAMES.join(', '))
    .addOption(
      new Option(
        '--format <format>',
        `file format: ${DATASET_NAMES.map((d) => `${d} ${DATASETS[d].join('|')}`).join('; ')} (first is the default)`,
      ).choices([...FORMATS]),
    )
    .option('--out <file>', 'write to a file instead of standard output')
    .option('--poll <id>', 'only this poll')
    .option('--wave <id>', 'only this wave (its id, or onboarding-YYYY-MM)')
    .option('--area <area>', 'only this area (nazareth, pottenberg, elders, geen)')
    .option('--from <date>', 'answered on or after this day (YYYY-MM-DD)')
    .option('--to <date>', 'answered on or before this day (YYYY-MM-DD)')
    .addOption(
      new Option('--delimiter <char>', 'field separator; ; for Dutch Excel').choices([',', ';']).default(','),
    )
    .option('--bom', 'start with a byte order mark (Excel)')
    .option('--panel-ids', 'responses: keep the stable pseudonyms, so exports can be joined (admin)')
    .action((dataset: string, opts: ExportOptions) =>
      run(async (ctx) => {
        const known = (DATASET_NAMES as string[]).includes(dataset);
        if (!known)
          throw new StartupError(
            `export: unknown dataset "${dataset}"; available: ${DATASET_NAMES.join(', ')}.`,
          );
        const parsed = ExportRequestSchema.safeParse({
          dataset,
          format: opts.format ?? DATASETS[dataset as keyof typeof DATASETS][0],
          poll: opts.poll,
          wave: opts.wave,
          area: opts.area,
          from: opts.from,
          to: opts.to,
          delimiter: opts.delimiter,
          bom: Boolean(opts.bom),
          panelIds: Boolean(opts.panelIds),
        });
        if (!parsed.success) {
          const line = describeIssue(parsed.error.issues[0]!, (f) => `--${FLAG_OF[f] ?? f}`);
          throw new StartupError(`export: ${line.replace(': ', ' is invalid: ')}.`);
        }
        const request = parsed.data;
        if (request.format === 'xlsx' && !opts.out && process.stdout.isTTY)
          throw new StartupError(
            'export: xlsx is a binary file; add --out FILE (or redirect standard output).',
          );
        const env = ctx.env;
        // Exports need PostgreSQL only (never Redis); the codebook lists every poll version stored,
        // or, with no database to read, the shipped poll files (without versions).
        const catalog =
          request.dataset === 'codebook'
            ? await ctx.pollCatalog().catch(() => {
                note('export: the database cannot be read; the codebook lists the shipped polls only.');
                const files = loadPollFiles();
                return { current: files, all: () => [...files.values()] };
              })
            : await ctx.pollCatalog();
        if (request.dataset !== 'codebook')
          await recordAudit(await ctx.db(), 'cli', 'export', auditDetails(request), new Date());
        const out: Writable = opts.out ? createWriteStream(opts.out) : process.stdout;
        // Connects only when used: the codebook never reads the monitor store.
        const pool = new ExportPool({
          databaseUrl: env.EXPORT_DATABASE_URL ?? env.DATABASE_URL,
          size: 1,
          statementTimeoutMs: env.EXPORT_TIMEOUT_MS,
          timeZone: env.TIME_ZONE,
        });
        try {
          await writeExport(
            request,
            {
              pool,
              minCell: env.SUPPRESSION_MIN_CELL,
              polls: () => catalog.current,
              pollVersions: () => catalog.all(),
            },
            out,
          );
        } finally {
          await pool.close();
          if (opts.out)
            await new Promise<void>((resolve, reject) =>
              out.end((e?: Error | null) => (e ? reject(e) : resolve())),
            );
        }
      }),
    );
}
