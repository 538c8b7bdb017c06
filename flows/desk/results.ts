import type { OutboundMessageInput } from '../../src/domain/messages.js';
import { reply, say } from '../asks.js';
import { areaName } from '../help-request.js';
import type { FlowContext, FlowResult } from '../types.js';
import { type Back, finish, line, STAFF_LANG } from './asks.js';
import { ideaStatusName } from './ideas.js';
import type { DeskResults } from './types.js';

// `/results`: the week in numbers for the wijkteam and analysts — counts only, never a resident.

export function results(back: Back, ctx: FlowContext): FlowResult {
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
