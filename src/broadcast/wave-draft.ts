import { type Kysely, sql } from 'kysely';
import { type RenderContext, type ResultsForDraft, waveResultsDraft } from '../../flows/broadcast.js';
import { ANSWER_CODES } from '../../flows/poll.js';
import { optionsFor } from '../../flows/polls/options.js';
import type { Poll } from '../../flows/polls/schema.js';
import type { Database } from '../db/schema.js';
import { BroadcastNotFoundError, BroadcastStateError } from './broadcasts.js';

// "You said, we did": the draft of a flash telling a wave's respondents what came out. It is built
// from a plain results object (question, most chosen answer, share), so any results module can feed
// it; `waveResultsForDraft` computes that object from the answers with the usual minimum group size.

/** Respondents per answer code of each question of a wave (distinct respondents, so `multi` counts once). */
async function distribution(db: Kysely<Database>, waveId: string) {
  // Skipped questions do not count; "don't know" counts in the total but is never the top answer.
  const { rows } = await sql<{ question: string; code: string; n: number; total: number }>`
    with a as (
      select respondent, question, unnest(string_to_array(answer_code, ',')) as code from answers
      where wave_id = ${waveId}::uuid and answer_code is not null
        and answer_code not in (${ANSWER_CODES.skipped}, ${ANSWER_CODES.invalid})
    ),
    t as (select question, count(distinct respondent)::int as total from a group by question)
    select a.question, a.code, count(distinct a.respondent)::int as n, t.total
    from a join t on t.question = a.question
    group by a.question, a.code, t.total`.execute(db);
  return rows;
}

/**
 * A wave's results as the draft needs them. A question answered by fewer than `minRespondents`
 * shows no answer ("too few answers"), like any other release; free-text questions are left out.
 */
export async function waveResultsForDraft(
  db: Kysely<Database>,
  polls: ReadonlyMap<string, Poll>,
  waveId: string,
  minRespondents: number,
): Promise<ResultsForDraft> {
  const wave = await db
    .selectFrom('waves')
    .select(['poll', 'status'])
    .where('id', '=', waveId)
    .executeTakeFirst();
  if (!wave) throw new BroadcastNotFoundError(`no wave with id ${waveId}`);
  // Like every release to the wijkteam: a whole wave once it is closed, so two drafts of one wave
  // can never differ by one resident's answer.
  if (wave.status !== 'closed')
    throw new BroadcastStateError(
      `wave ${waveId} is ${wave.status}; its results can be drafted once it is closed (poll close closes it now)`,
    );
  const poll = polls.get(wave.poll);
  if (!poll) throw new BroadcastNotFoundError(`the poll ${wave.poll} of wave ${waveId} is no longer shipped`);
  const rows = await distribution(db, waveId);
  const questions = poll.questions
    .filter((q) => q.type !== 'text')
    .map((q) => {
      const own = rows.filter((r) => r.question === q.id);
      const total = own[0]?.total ?? 0;
      const best = own
        .filter((r) => r.code !== ANSWER_CODES.dontKnow)
        .sort((a, b) => b.n - a.n || a.code.localeCompare(b.code))[0];
      if (!best || total < minRespondents) return { text: q.text, top: null };
      const option = optionsFor(q).find((o) => o.code === best.code);
      return {
        text: q.text,
        top: {
          label: option?.label ?? { nl: String(best.code) },
          share: Math.round((100 * best.n) / total),
        },
      };
    });
  return { poll: poll.title, questions };
}

/** The draft of the results flash of a wave, in Dutch and English. */
export async function draftWaveResults(
  db: Kysely<Database>,
  render: RenderContext,
  polls: ReadonlyMap<string, Poll>,
  waveId: string,
  minRespondents: number,
): Promise<{ nl: string; en: string; results: ResultsForDraft }> {
  const results = await waveResultsForDraft(db, polls, waveId, minRespondents);
  return {
    nl: waveResultsDraft(render, 'nl', results),
    en: waveResultsDraft(render, 'en', results),
    results,
  };
}
