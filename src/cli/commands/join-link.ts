import { type Command, Option } from 'commander';
import { parseEnv } from '../../config/env.js';
import {
  JOIN_AREAS,
  JOIN_CHANNELS,
  type JoinArea,
  type JoinChannel,
  JoinLinkError,
  joinLink,
  joinStats,
  linkSource,
  qrFileName,
  writeQrCodes,
} from '../../desk/join-links.js';
import { StartupError } from '../../errors.js';
import { guarded } from '../guarded.js';
import { openDatabase } from './export.js';

// `join-link`: the link and QR codes for flyers, posters and the paper newsletters, and
// `join-link stats` for how many residents joined through each.

/** `join-link`: flyer links with QR codes, and joins counted per link. */
export function registerJoinLinkCommands(program: Command): void {
  program
    .command('join-link')
    .description(
      'print a join link and write its QR code (SVG and PNG); `join-link stats` counts joins per link',
    )
    .argument('[stats]', '"stats": joins counted per link instead')
    .addOption(new Option('--channel <channel>', 'whatsapp or telegram').choices([...JOIN_CHANNELS]))
    .addOption(
      new Option('--area <area>', 'the link names this area (skips the area question)').choices([
        ...JOIN_AREAS,
      ]),
    )
    .option('--out <dir>', 'folder for the QR code files', '.')
    .option('--json', 'machine-readable output')
    .showHelpAfterError(true)
    .action(
      (
        what: string | undefined,
        opts: { channel?: JoinChannel; area?: JoinArea; out: string; json?: boolean },
        command: Command,
      ) =>
        guarded(async () => {
          const env = parseEnv();
          if (what === 'stats') {
            const db = await openDatabase(env);
            try {
              const stats = await joinStats(db);
              if (opts.json) {
                process.stdout.write(`${JSON.stringify(stats)}\n`);
                return;
              }
              if (stats.length === 0) process.stdout.write('no joins through a link yet\n');
              for (const s of stats)
                process.stdout.write(`${s.source}\t${s.joins}\t${s.firstDay} – ${s.lastDay}\n`);
            } finally {
              await db.destroy();
            }
            return;
          }
          if (what !== undefined)
            command.error(`error: unknown argument '${what}' (only "stats")`, { exitCode: 2 });
          if (!opts.channel)
            command.error("error: required option '--channel <channel>' not specified", { exitCode: 2 });
          let link: string;
          try {
            link = joinLink(opts.channel!, opts.area, env);
          } catch (error) {
            if (error instanceof JoinLinkError) throw new StartupError(`join-link: ${error.message}`);
            throw error;
          }
          const files = await writeQrCodes(link, opts.out, qrFileName(opts.channel!, opts.area));
          if (opts.json) {
            process.stdout.write(
              `${JSON.stringify({ link, source: linkSource(opts.channel!, opts.area), ...files })}\n`,
            );
            return;
          }
          process.stdout.write(`${link}\n`);
          process.stderr.write(
            `QR code: ${files.svg} and ${files.png}. Joins through it count as ${linkSource(opts.channel!, opts.area)} (straatpraat join-link stats).\n`,
          );
        }),
    );
}
