import { localize } from '../../src/domain/language.js';
import type { OutboundMessageInput } from '../../src/domain/messages.js';
import type { QuestionFigures, QuestionResults, WaveResults } from '../../src/domain/wave-results.js';
import { reply, say } from '../asks.js';
import { areaName } from '../help-request.js';
import type { FlowContext, FlowResult } from '../types.js';
import { type Back, finish, line, STAFF_LANG } from './asks.js';
import { ideaStatusName } from './ideas.js';
import { waveArgument } from './loads.js';
import type { DeskResults } from './types.js';

// `/results`: the week in numbers for the wijkteam and analysts — counts only, never a resident.
// `/results WAVE`: what residents answered in one wave, suppressed like the aggregates (the engine
// loads it as src/export/wave-results.ts computes it; the wijkteam sees closed waves only).

export function results(args: string, back: Back, ctx: FlowContext): FlowResult {
  if (args.trim() !== '') return waveResultsReply(args, back, ctx);
  const lang = STAFF_LANG;
  const r: DeskResults | undefined = ctx.desk?.results;
  const audit = {
    type: 'desk' as const,
    action: { kind: 'audit' as const, action: 'results.view', details: {} },
  };
  if (!r) return finish(back, [reply(say(ctx, lang, 'desk-try-again'))]);
  const list = (items: string[]) =>
    items.length > 0 ? items.join(' · ') : say(ctx, lang, 'desk-results-nothing');
  const lines: OutboundMessageInput[] = [
    line(
      [
        say(ctx, lang, 'desk-results-title'),
        say(ctx, lang, 'desk-results-residents', {
          list: list(r.residents.map((x) => `${areaName(ctx, x.area)} ${x.n}`)),
        }),
        say(ctx, lang, 'desk-results-help', {
          days: r.help.days,
          opened: r.help.opened,
          answered: r.help.answeredWithinDay,
          open: r.help.open,
          flagged: r.help.flagged,
        }),
        say(ctx, lang, 'desk-results-ideas', {
          list: list(r.ideas.map((x) => `${ideaStatusName(ctx, x.status)} ${x.n}`)),
        }),
        say(ctx, lang, 'desk-results-joins', { list: list(r.joins.map((x) => `${x.source} ${x.n}`)) }),
        say(ctx, lang, 'desk-results-waves', {
          list: list(
            r.waves.map((w) =>
              say(ctx, lang, 'desk-results-wave', {
                id: w.id.slice(0, 8),
                poll: w.poll,
                status: w.status,
                invited: w.invited,
                finished: w.finished,
              }),
            ),
          ),
        }),
      ].join('\n'),
    ),
  ];
  return finish(back, lines, [audit]);
}

/** A chat message stays well below what every channel takes (WhatsApp: 4096 characters). */
const MAX_MESSAGE = 3500;

function waveResultsReply(args: string, back: Back, ctx: FlowContext): FlowResult {
  const lang = STAFF_LANG;
  const wave = waveArgument(args);
  if (!wave) return finish(back, [reply(say(ctx, lang, 'desk-results-wave-usage'))]);
  const r: WaveResults | null | undefined = ctx.desk?.waveResults;
  if (r === undefined) return finish(back, [reply(say(ctx, lang, 'desk-try-again'))]);
  if (r === null) return finish(back, [reply(say(ctx, lang, 'desk-results-wave-unknown'))]);
  const audit = {
    type: 'desk' as const,
    action: { kind: 'audit' as const, action: 'wave.results', details: { wave: r.wave } },
  };
  const title = say(ctx, lang, 'desk-results-wave-title', { poll: r.poll, title: localize(r.title, lang) });
  if (!r.shown)
    return finish(back, [line(`${title}\n${say(ctx, lang, 'desk-results-wave-running')}`)], [audit]);
  if (r.respondents === null)
    return finish(back, [line(`${title}\n${say(ctx, lang, 'desk-results-wave-too-few')}`)], [audit]);
  const head = [
    title,
    say(ctx, lang, 'desk-results-wave-respondents', { n: r.respondents }),
    ...(r.status !== 'closed' ? [say(ctx, lang, 'desk-results-wave-open')] : []),
  ].join('\n');
  const messages = [line(head), ...r.questions.flatMap((q) => questionMessages(q, ctx).map(line))];
  return finish(back, messages, [audit]);
}

function figuresLine(f: QuestionFigures, ctx: FlowContext): string {
  const lang = STAFF_LANG;
  const area = f.area === 'totaal' ? say(ctx, lang, 'desk-results-wave-total') : areaName(ctx, f.area);
  if (f.too_few) return say(ctx, lang, 'desk-results-wave-area-too-few', { area });
  const shares = (f.distribution ?? []).map(
    (d) => `${localize(d.label, lang)} ${Math.round(d.share * 100)}%`,
  );
  const mean = f.mean === null ? [] : [say(ctx, lang, 'desk-results-wave-mean', { mean: f.mean })];
  return say(ctx, lang, 'desk-results-wave-area', {
    area,
    n: f.n ?? 0,
    list: [...mean, ...shares].join(' · '),
  });
}

/** One question as one message (free texts over several when they are long). */
function questionMessages(q: QuestionResults, ctx: FlowContext): string[] {
  const lang = STAFF_LANG;
  const heading = localize(q.text, lang);
  if (q.type !== 'text') {
    return [
      [heading, figuresLine(q.total, ctx), ...(q.areas ?? []).map((a) => figuresLine(a, ctx))].join('\n'),
    ];
  }
  if (q.texts === null) return [`${heading}\n${say(ctx, lang, 'desk-results-wave-too-few')}`];
  const out: string[] = [];
  let current = `${heading}\n${say(ctx, lang, 'desk-results-wave-texts', { n: q.total.n ?? 0 })}`;
  for (const text of q.texts) {
    const item = `• ${text.replace(/\s+/g, ' ').trim()}`;
    if (current.length + item.length + 1 > MAX_MESSAGE) {
      out.push(current);
      current = item;
    } else current = `${current}\n${item}`;
  }
  out.push(current);
  return out;
}
