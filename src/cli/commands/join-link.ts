import { type Command, InvalidArgumentError, Option } from 'commander';
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
  SourceCodeSchema,
  writeQrCodes,
} from '../../desk/join-links.js';
import { StartupError } from '../../domain/errors.js';
import { run } from '../context.js';
import { note, print } from '../output.js';

// `join-link`: the link and QR codes for flyers, posters and the paper newsletters, and
// `join-link stats` for how many residents joined through each.

/** A flyer's source code as given on the command line; a wrong one is a usage error (exit 2). */
function sourceCode(value: string): string {
  const parsed = SourceCodeSchema.safeParse(value);
  if (!parsed.success) throw new InvalidArgumentError(`"${value}" ${parsed.error.issues[0]!.message}`);
  return parsed.data;
}

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
    .option(
      '--source <code>',
      'the flyer or poster this link is for (e.g. poster-trefpunt): lowercase letters, digits, dashes, at most 32',
      sourceCode,
    )
    .option('--out <dir>', 'folder for the QR code files', '.')
    .option('--json', 'print one JSON document')
    .action((opts: { channel: JoinChannel; area?: JoinArea; source?: string; out: string; json?: boolean }) =>
      run(async (ctx) => {
        let link: string;
        try {
          link = joinLink(opts.channel, opts.area, ctx.env, opts.source);
        } catch (error) {
          if (error instanceof JoinLinkError) throw new StartupError(`join-link: ${error.message}`);
          throw error;
        }
        const files = await writeQrCodes(link, opts.out, qrFileName(opts.channel, opts.area, opts.source));
        const source = linkSource(opts.channel, opts.area);
        const code = opts.source ?? '';
        print(opts.json, { link, source, code, ...files }, () => [link]);
        if (!opts.json)
          note(
            `QR code: ${files.svg} and ${files.png}. Joins through it count as ${code ? `${code} on ` : ''}${source} (straatpraat join-link stats).`,
          );
      }),
    );

  joinLinks
    .command('stats')
    .description('joins counted per source code, channel and area: joins, first and last day')
    .option('--json', 'print one JSON document')
    .action((opts: { json?: boolean }) =>
      run(async (ctx) => {
        const stats = await joinStats(await ctx.db());
        print(opts.json, stats, () =>
          stats.length === 0
            ? ['no joins through a link yet']
            : [
                'source\tchannel\tarea\tjoins\tdays',
                ...stats.map(
                  (s) =>
                    `${s.code || '-'}\t${s.channel}\t${s.area}\t${s.joins}\t${s.firstDay} – ${s.lastDay}`,
                ),
              ],
        );
      }),
    );
}
