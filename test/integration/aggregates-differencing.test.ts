import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { createToken } from '../../src/auth/tokens.js';
import type { AggregateCell } from '../../src/export/aggregates.js';
import { startTestApp } from '../helpers/app.js';

const WAVE = '7f2a9b1c-5d6e-4f70-8a9b-0c1d2e3f4a5b';
/** A wave still open: answers keep coming in, so two looks at it differ by the newest answers. */
const OPEN_WAVE = '0b1c2d3e-4f50-4617-8a9b-aabbccddeeff';

let app: App;
let stop: () => Promise<void>;
let base: string;
const tokens = { wijkteam: '', analyst: '' };

const get = (path: string, token: string) =>
  fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` }, redirect: 'manual' });

beforeAll(async () => {
  ({ app, stop } = await startTestApp({}, 'ingress'));
  base = `http://127.0.0.1:${app.httpPort}`;
  tokens.wijkteam = (await createToken(app.db, 'wijkteam')).token;
  tokens.analyst = (await createToken(app.db, 'analyst')).token;
  await sql`
    insert into waves (id, poll, opens_at, closes_at, status, created_by) values
      (${WAVE}::uuid, 'thuis', '2026-10-31', '2026-11-07', 'closed', 'cli'),
      (${OPEN_WAVE}::uuid, 'thuis', now() - interval '1 day', now() + interval '6 days', 'open', 'cli')`.execute(
    app.db,
  );
  // A wave: 40 residents answered on 1 November, one more on 2 November (the one an attacker is after).
  // Onboarding answers in October and November: two more partitions.
  await sql`
    insert into answers (respondent, wave_id, wave_key, poll, question, indicator, answer_code, answer_number,
      area, age_group, language, channel, answered_on)
    select 'w-' || i, ${WAVE}::uuid, ${WAVE}, 'thuis', 'thuis', 'thuis_in_buurt', (1 + i % 5)::text, 1 + i % 5,
      case when i % 2 = 0 then 'nazareth' else 'pottenberg' end, '41-65', 'nl', 'telegram',
      case when i = 41 then date '2026-11-02' else date '2026-11-01' end
    from generate_series(1, 41) i`.execute(app.db);
  await sql`
    insert into answers (respondent, wave_key, poll, question, indicator, answer_code, answer_number, area,
      age_group, language, channel, answered_on)
    select 'ob-' || i, '', 'veerkracht-kort', 'thuis', 'thuis_in_buurt', (1 + i % 5)::text, 1 + i % 5,
      case when i % 3 = 0 then 'pottenberg' else 'nazareth' end, '27-40', 'nl', 'telegram',
      case when i <= 25 then date '2026-10-05' + i % 20 else date '2026-11-03' + i % 20 end
    from generate_series(1, 50) i`.execute(app.db);
  // The open wave and this month's onboarding answers: both still growing.
  await sql`
    insert into answers (respondent, wave_id, wave_key, poll, question, indicator, answer_code, answer_number,
      area, age_group, language, channel, answered_on)
    select 'open-' || i, ${OPEN_WAVE}::uuid, ${OPEN_WAVE}, 'thuis', 'thuis', 'thuis_in_buurt', (1 + i % 5)::text,
      1 + i % 5, 'nazareth', '41-65', 'nl', null, current_date
    from generate_series(1, 30) i`.execute(app.db);
  await sql`
    insert into answers (respondent, wave_key, poll, question, indicator, answer_code, answer_number, area,
      age_group, language, channel, answered_on)
    select 'now-' || i, '', 'veerkracht-kort', 'thuis', 'thuis_in_buurt', (1 + i % 5)::text, 1 + i % 5,
      'nazareth', '27-40', 'nl', null, current_date
    from generate_series(1, 30) i`.execute(app.db);
}, 60_000);

const thisMonth = () => `onboarding-${new Date().toISOString().slice(0, 7)}`;

afterAll(async () => {
  await stop?.();
});

describe('differencing aggregates with a wijkteam token', () => {
  it('is refused: no from, to, poll or area, with a 400 that names the parameter', async () => {
    const attempts = [
      ['to', '/api/aggregates.json?to=2026-11-01'],
      ['to', '/api/aggregates.json?to=2026-11-02'],
      ['from', '/api/aggregates.json?from=2026-11-02'],
      ['from', `/api/aggregates.csv?from=2026-11-01&wave=${WAVE}`],
      ['poll', '/api/aggregates.json?poll=thuis'],
      ['poll', '/api/aggregates.csv?poll=veerkracht-kort'],
      ['area', '/api/aggregates.json?area=nazareth'],
    ] as const;
    for (const [parameter, path] of attempts) {
      const res = await get(path, tokens.wijkteam);
      expect(res.status, path).toBe(400);
      const body = (await res.json()) as { error: string; message: string };
      expect(body.error).toBe('bad request');
      expect(body.message, path).toMatch(
        new RegExp(
          `^${parameter}: a wijkteam token gets aggregates over whole waves and whole onboarding months only`,
        ),
      );
    }
    // The results page takes no such parameter either.
    const page = await get('/results?to=2026-11-01', tokens.wijkteam);
    expect(page.status).toBe(400);
    expect(await page.text()).toMatch(/Unrecognized key: &quot;to&quot;/);
  });

  it('leaves only whole waves and whole months, which are disjoint: each is a part of the one release', async () => {
    const whole = (await (await get('/api/aggregates.json', tokens.wijkteam)).json()) as {
      cells: AggregateCell[];
    };
    const waves = [...new Set(whole.cells.map((c) => c.wave))].sort();
    expect(waves).toEqual(
      [WAVE, 'onboarding-2026-10', 'onboarding-2026-11'].filter((w) => w !== thisMonth()).sort(),
    );
    for (const wave of waves) {
      const res = await get(`/api/aggregates.json?wave=${wave}`, tokens.wijkteam);
      expect(res.status, wave).toBe(200);
      const part = ((await res.json()) as { cells: AggregateCell[] }).cells;
      // Exactly the cells of that wave in the whole release: asking per wave tells nothing more.
      expect(part, wave).toEqual(whole.cells.filter((c) => c.wave === wave));
    }
  });

  it('counts only closed waves and past months, so two looks at a growing wave cannot be subtracted', async () => {
    for (const path of ['/api/aggregates.json', `/api/aggregates.json?wave=${OPEN_WAVE}`]) {
      const release = (await (await get(path, tokens.wijkteam)).json()) as { cells: AggregateCell[] };
      const waves = new Set(release.cells.map((c) => c.wave));
      expect(waves.has(OPEN_WAVE), path).toBe(false);
      expect(waves.has(thisMonth()), path).toBe(false);
    }
    const page = await (await get(`/results?wave=${OPEN_WAVE}`, tokens.wijkteam)).text();
    expect(page).not.toContain('>30<');
    // The analyst, who reads the rows anyway, sees both as they grow.
    const analyst = (await (await get('/api/aggregates.json', tokens.analyst)).json()) as {
      cells: AggregateCell[];
    };
    const waves = new Set(analyst.cells.map((c) => c.wave));
    expect(waves.has(OPEN_WAVE)).toBe(true);
    expect(waves.has(thisMonth())).toBe(true);
  });

  it('keeps every filter for an analyst, who may read the answer rows anyway', async () => {
    for (const path of [
      '/api/aggregates.json?to=2026-11-01',
      '/api/aggregates.json?to=2026-11-02',
      '/api/aggregates.json?poll=thuis&area=nazareth',
    ]) {
      expect((await get(path, tokens.analyst)).status, path).toBe(200);
    }
    // And the wijkteam still filters the ideas, which are not counts.
    expect((await get('/api/exports/ideas.csv?area=nazareth&from=2026-11-01', tokens.wijkteam)).status).toBe(
      200,
    );
  });
});
