import { type Command, Option } from 'commander';
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
import { StartupError } from '../../domain/errors.js';
import { run } from '../context.js';
import { note, print } from '../output.js';

// `join-link`: the link and QR codes for flyers, posters and the paper newsletters, and
// `join-link stats` for how many residents joined through each.

/** `join-link [create]`: flyer links with QR codes; `join-link stats`: joins counted per link. */
export function registerJoinLinkCommands(program: Command): void {
  const joinLinks = program
    .command('join-link')
    .description(
      'print a join link and write its QR code (SVG and PNG); `join-link stats` counts joins per link',
    )
    .showHelpAfterError(true);

  joinLinks
    .command('create', { isDefault: true })
    .description('print a join link and write its QR code (SVG and PNG); the default')
    .addOption(
      new Option('--channel <channel>', 'whatsapp or telegram')
        .choices([...JOIN_CHANNELS])
        .makeOptionMandatory(),
    )
    .addOption(
      new Option('--area <area>', 'the link names this area (skips the area question)').choices([
        ...JOIN_AREAS,
      ]),
    )
    .option('--out <dir>', 'folder for the QR code files', '.')
    .option('--json', 'print one JSON document')
    .action((opts: { channel: JoinChannel; area?: JoinArea; out: string; json?: boolean }) =>
      run(async (ctx) => {
        let link: string;
        try {
          link = joinLink(opts.channel, opts.area, ctx.env);
        } catch (error) {
          if (error instanceof JoinLinkError) throw new StartupError(`join-link: ${error.message}`);
          throw error;
        }
        const files = await writeQrCodes(link, opts.out, qrFileName(opts.channel, opts.area));
        const source = linkSource(opts.channel, opts.area);
        print(opts.json, { link, source, ...files }, () => [link]);
        if (!opts.json)
          note(
            `QR code: ${files.svg} and ${files.png}. Joins through it count as ${source} (straatpraat join-link stats).`,
          );
      }),
    );

  joinLinks
    .command('stats')
    .description('joins counted per link: source, joins, first and last day')
    .option('--json', 'print one JSON document')
    .action((opts: { json?: boolean }) =>
      run(async (ctx) => {
        const stats = await joinStats(await ctx.db());
        print(opts.json, stats, () =>
          stats.length === 0
            ? ['no joins through a link yet']
            : stats.map((s) => `${s.source}\t${s.joins}\t${s.firstDay} – ${s.lastDay}`),
        );
      }),
    );
}
