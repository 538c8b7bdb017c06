import { scrub } from '../../privacy/scrub.js';
import type { EffectHandler } from './handler.js';

/**
 * Records an answer under the resident's pseudonym, with the profile as the effects so far left it.
 * Written with the rest of the batch, in its final statement.
 */
export const answerRecord: EffectHandler<'answer.record'> = {
  async apply(scene, effect) {
    const { profile } = scene;
    scene.writes.answers.push({
      respondent: scene.respondent(),
      wave_id: effect.waveId ?? null,
      wave_key: effect.waveId ?? '',
      poll: effect.poll,
      // A poll read from a file (tests, tools) is the shipped version 1.
      poll_version: effect.pollVersion ?? 1,
      question: effect.question,
      indicator: effect.indicator ?? null,
      answer_code: effect.answerCode ?? null,
      answer_number: effect.answerNumber ?? null,
      text: effect.text === undefined ? null : scrub(effect.text),
      area: profile.area,
      age_group: profile.ageGroup,
      language: profile.language,
      // No channel, and the week rather than the day: the identity store knows both of a
      // resident (their address's channel, the day they joined or were invited).
      channel: null,
      answered_on: answerWeek(scene.day),
    });
  },
};

/**
 * The day stored with an answer: the Monday of its week, or the first of the month when that Monday
 * falls in the month before (so onboarding months stay whole). `day` is YYYY-MM-DD.
 */
export function answerWeek(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const sinceMonday = (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7;
  return `${day.slice(0, 8)}${String(Math.max(1, d - sinceMonday)).padStart(2, '0')}`;
}
