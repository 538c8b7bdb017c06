import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PollDefinition } from '../../flows/polls/schema.js';
import type { App } from '../../src/app.js';
import { createToken } from '../../src/auth/tokens.js';
import { addStaff } from '../../src/desk/staff.js';
import type { WaveResults } from '../../src/domain/wave-results.js';
import { computeAggregates } from '../../src/export/aggregates.js';
import { ExportPool } from '../../src/export/pool.js';
import { waveResults } from '../../src/export/wave-results.js';
import { loadPollCatalog, storePollVersion } from '../../src/polls/catalog.js';
import { startTestApp } from '../helpers/app.js';
import { runCli } from '../helpers/cli.js';
import { ConsoleUsers, seedResidents } from '../helpers/desk.js';
import { eventually } from '../helpers/env.js';

// The results of one wave for the wijkteam, on every surface (module, CLI, HTTP API, staff chat),
// against the real PostgreSQL and Redis: too few respondents show nothing, 30 show the distribution and
// the free texts (scrubbed, no names or numbers), and a running wave stays closed to the wijkteam.

const FEW = '0a000000-0000-4000-8000-000000000005';
const MANY = '0b000000-0000-4000-8000-000000000030';
const RUNNING = '0c000000-0000-4000-8000-000000000030';
const MIXED = '0d000000-0000-4000-8000-000000000024';
const CIJFER = '0e000000-0000-4000-8000-000000000020';
const UNKNOWN_WAVE = '0f000000-0000-4000-8000-000000000000';
const AGES = '0a100000-0000-4000-8000-000000000038';

const PHONE = '0612345678';
const NAME = 'Pieternella';

let app: App;
let stop: () => Promise<void>;
let vars: Record<string, string>;
let base: string;
let pool: ExportPool;
let users: ConsoleUsers;
const tokens = { analyst: '', wijkteam: '', admin: '' };
const STAFF = 'wijkteam-wim';
const ANALYST = 'analist-anna';

async function wave(id: string, poll: string, status: string, openedDaysAgo = 7): Promise<void> {
  await app.db
    .insertInto('waves')
    .values({
      id,
      poll,
      audience: JSON.stringify({}),
      opens_at: new Date(Date.now() - openedDaysAgo * 86_400_000),
      closes_at: new Date(Date.now() + (status === 'closed' ? -86_400_000 : 86_400_000)),
      status,
      created_by: 'test',
    })
    .execute();
}

/** `n` respondents of veerkracht-kort: thuis 1..5 in turn, a free text each. */
async function veerkracht(waveId: string, areas: readonly string[], texts: (i: number) => string) {
  for (let i = 0; i < areas.length; i++) {
    const base = {
      respondent: `${waveId}-r${i}`,
      wave_id: waveId,
      wave_key: waveId,
      poll: 'veerkracht-kort',
      area: areas[i]!,
      age_group: '41-65',
      language: 'nl',
      answered_on: '2026-03-02',
    };
    await app.db
      .insertInto('answers')
      .values([
        {
          ...base,
          question: 'thuis',
          indicator: 'thuis_in_buurt',
          answer_code: String(1 + (i % 5)),
          answer_number: 1 + (i % 5),
        },
        { ...base, question: 'hulp', indicator: 'toegang_hulp', answer_code: i < 4 ? 'weet_niet' : '4' },
        { ...base, question: 'beter', text: texts(i) },
      ])
      .execute();
  }
}

const areas = (counts: Record<string, number>) =>
  Object.entries(counts).flatMap(([a, n]) => Array(n).fill(a));
const freeText = (i: number) =>
  i === 0
    ? `Bel mij op ${PHONE} over de speeltuin`
    : i === 1
      ? `Mijn buurvrouw ${NAME} Jansen weet ervan`
      : `Meer bankjes in het park ${i}`;

beforeAll(async () => {
  let setup: Awaited<ReturnType<typeof startTestApp>>['setup'];
  ({ app, setup, stop } = await startTestApp({
    QUIET_HOURS_START: '00:00',
    QUIET_HOURS_END: '00:00',
    ONBOARDING_POLL: 'false',
  }));
  vars = setup.vars;
  base = `http://127.0.0.1:${app.httpPort}`;
  pool = new ExportPool({ databaseUrl: setup.env.DATABASE_URL, size: 1 });
  users = new ConsoleUsers(app);
  for (const role of ['analyst', 'wijkteam', 'admin'] as const)
    tokens[role] = (await createToken(app.db, role)).token;
  const now = new Date();
  await addStaff(app.db, { channel: 'console', user: STAFF, role: 'wijkteam', name: 'Wim' }, 'cli', now);
  await addStaff(app.db, { channel: 'console', user: ANALYST, role: 'analyst', name: 'Anna' }, 'cli', now);
  await wave(FEW, 'veerkracht-kort', 'closed');
  // The newest, so /results lists it among the last five.
  await wave(MANY, 'veerkracht-kort', 'closed', 2);
  await wave(RUNNING, 'veerkracht-kort', 'open');
  await wave(MIXED, 'veerkracht-kort', 'closed');
  await wave(CIJFER, 'cijfer', 'closed');
  await veerkracht(FEW, areas({ nazareth: 5 }), freeText);
  await veerkracht(MANY, areas({ nazareth: 18, pottenberg: 12 }), freeText);
  await veerkracht(RUNNING, areas({ nazareth: 30 }), freeText);
  // 20 in Nazareth, 4 in Pottenberg: the total shows, no area does.
  await veerkracht(MIXED, areas({ nazareth: 20, pottenberg: 4 }), freeText);
  // Every area has 10 or more, but the aggregates hide Nazareth and Elders to protect small age groups.
  await wave(AGES, 'thuis', 'closed');
  const groups: [string, string, number, number][] = [
    ['nazareth', '18-26', 8, 2],
    ['nazareth', '65plus', 4, 2],
    ['pottenberg', '41-65', 10, 4],
    ['elders', '18-26', 5, 1],
    ['elders', '41-65', 11, 4],
  ];
  let k = 0;
  for (const [area, age, n, positives] of groups)
    for (let i = 0; i < n; i++, k++)
      await app.db
        .insertInto('answers')
        .values({
          respondent: `ages-${k}`,
          wave_id: AGES,
          wave_key: AGES,
          poll: 'thuis',
          question: 'thuis',
          indicator: 'thuis_in_buurt',
          answer_code: i < positives ? '4' : '2',
          answer_number: i < positives ? 4 : 2,
          area,
          age_group: age,
          language: 'nl',
          answered_on: '2026-03-02',
        })
        .execute();
  await sql`
    insert into answers (respondent, wave_id, wave_key, poll, question, indicator, answer_code, answer_number,
      area, age_group, language, answered_on)
    select 'cijfer-' || i, ${CIJFER}::uuid, ${CIJFER}, 'cijfer', 'cijfer', 'rapportcijfer_buurt',
      (case when i <= 10 then 7 else 8 end)::text, case when i <= 10 then 7 else 8 end,
      'pottenberg', '41-65', 'nl', '2026-03-02'
    from generate_series(1, 20) i`.execute(app.db);
}, 60_000);

afterAll(async () => {
  await pool?.close();
  await stop?.();
});

const options = { minCell: 10, polls: new Map(), includeRunning: false };
async function compute(id: string, includeRunning = false): Promise<WaveResults | undefined> {
  const { loadPolls } = await import('../../flows/polls/catalog.js');
  return waveResults(pool.db, id, { ...options, polls: loadPolls(), includeRunning });
}
const question = (r: WaveResults, id: string) => r.questions.find((q) => q.id === id)!;

describe('wave results (the shared module, read as the monitor reader role)', () => {
  it('shows "too few answers" and no figure or text for a wave of 5 respondents', async () => {
    const r = (await compute(FEW))!;
    expect(r.shown).toBe(true);
    expect(r.notice).toEqual({ nl: 'te weinig antwoorden', en: 'too few answers' });
    expect(r.respondents).toBeNull();
    expect(r.questions).toEqual([]);
    expect(JSON.stringify(r)).not.toContain('bankjes');
  });

  it('shows the distribution, per area, and the free texts for a wave of 30', async () => {
    const r = (await compute(MANY))!;
    expect(r.respondents).toBe(30);
    expect(r.notice).toBeNull();
    const thuis = question(r, 'thuis');
    expect(thuis.total.n).toBe(30);
    expect(thuis.total.distribution!.map((d) => [d.code, d.share])).toEqual([
      ['1', 0.2],
      ['2', 0.2],
      ['3', 0.2],
      ['4', 0.2],
      ['5', 0.2],
    ]);
    expect(thuis.total.distribution![0]!.label).toEqual({ nl: 'Nee, helemaal niet', en: 'No, not at all' });
    expect(thuis.areas!.map((a) => [a.area, a.n])).toEqual([
      ['nazareth', 20],
      ['pottenberg', 10],
    ]);
    // Weet ik niet does not count: 26 valid answers, shown as 25.
    expect(question(r, 'hulp').total).toMatchObject({ n: 25, too_few: false });
    expect(question(r, 'hulp').total.distribution!.find((d) => d.code === '4')!.share).toBe(1);
    const beter = question(r, 'beter');
    expect(beter.texts).toHaveLength(30);
    expect(beter.texts!.filter((t) => t.startsWith('Meer bankjes'))).toHaveLength(28);
  });

  it('scrubs the free texts: no phone number, no name', async () => {
    const texts = question((await compute(MANY))!, 'beter').texts!.join('\n');
    expect(texts).toContain('over de speeltuin');
    expect(texts).not.toContain(PHONE);
    expect(texts).not.toContain(NAME);
  });

  it('gives the free texts in random order, with no respondent or area', async () => {
    const orders = new Set<string>();
    for (let i = 0; i < 5; i++) orders.add(question((await compute(MANY))!, 'beter').texts!.join('|'));
    expect(orders.size).toBeGreaterThan(1);
    const r = (await compute(MANY))!;
    expect(JSON.stringify(r)).not.toContain(`${MANY}-r`);
    expect(question(r, 'beter').areas).toBeNull();
  });

  it('shows only the total when one area has fewer than the minimum', async () => {
    const r = (await compute(MIXED))!;
    expect(question(r, 'thuis').total.n).toBe(25);
    expect(question(r, 'thuis').areas).toBeNull();
  });

  it('shows no area the aggregates of the wave hide, even when every area has enough answers', async () => {
    const { cells } = await computeAggregates(pool.db, { wave: AGES }, { minCell: 10 });
    const area = (a: string) => cells.find((c) => c.level === 'area' && c.area === a)!;
    expect(area('nazareth').suppressed).toBe(true);
    expect(area('pottenberg').suppressed).toBe(false);
    const thuis = question((await compute(AGES))!, 'thuis');
    expect(thuis.total).toMatchObject({ n: 40, too_few: false });
    expect(thuis.areas).toBeNull();
  });

  it('gives the mean of a mark with one decimal', async () => {
    const r = (await compute(CIJFER))!;
    expect(question(r, 'cijfer').total.mean).toBe(7.5);
    // Nobody explained their mark: the follow-up shows too few answers.
    expect(question(r, 'cijfer_uitleg').total.too_few).toBe(true);
  });

  it('keeps a running wave closed to whoever sees closed waves only, not to analysts', async () => {
    const closed = (await compute(RUNNING))!;
    expect(closed).toMatchObject({ shown: false, status: 'open', questions: [], respondents: null });
    expect(closed.notice!.nl).toBe('de peiling loopt nog');
    const open = (await compute(RUNNING, true))!;
    expect(open.respondents).toBe(30);
    expect(open.notice!.nl).toBe('de peiling loopt nog');
  });

  it('knows no wave that does not exist', async () => {
    expect(await compute(UNKNOWN_WAVE)).toBeUndefined();
  });
});

describe('straatpraat poll results', () => {
  it('prints one JSON document with the distribution and the scrubbed free texts', async () => {
    const out = await runCli(['poll', 'results', MANY, '--json'], vars);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    const r = JSON.parse(out.stdout) as WaveResults & { method: Record<string, string> };
    expect(r.respondents).toBe(30);
    expect(question(r, 'thuis').total.distribution).toHaveLength(5);
    expect(question(r, 'beter').texts).toHaveLength(30);
    expect(out.stdout).not.toContain(PHONE);
    expect(r.method.too_few).toContain('te weinig antwoorden');
  });

  it('says "te weinig antwoorden" for 5 respondents and "de peiling loopt nog" for a running wave', async () => {
    const few = await runCli(['poll', 'results', FEW], vars);
    expect(few.code).toBe(0);
    expect(few.stdout).toContain('te weinig antwoorden');
    expect(few.stdout).not.toContain('bankjes');
    const running = await runCli(['poll', 'results', RUNNING], vars);
    expect(running.stdout).toContain('de peiling loopt nog');
    expect(running.stdout).not.toContain('bankjes');
    const analyst = await runCli(['poll', 'results', RUNNING, '--include-running'], vars);
    expect(analyst.stdout).toContain('Meer bankjes');
  });

  it('refuses a bad id with exit code 2 and an unknown wave with one line', async () => {
    const bad = await runCli(['poll', 'results', 'nope'], vars);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('uuid');
    const unknown = await runCli(['poll', 'results', UNKNOWN_WAVE], vars);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr.trim().split('\n')).toHaveLength(1);
    expect(unknown.stderr).toContain('no wave');
  });
});

describe('GET /api/waves/{id}/results', () => {
  const get = (id: string, token: string) =>
    fetch(`${base}/api/waves/${id}/results`, { headers: { authorization: `Bearer ${token}` } });

  it('gives the wijkteam the distribution and the scrubbed free texts of a closed wave', async () => {
    const res = await get(MANY, tokens.wijkteam);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    const body = await res.text();
    expect(body).not.toContain(PHONE);
    expect(body).not.toContain(NAME);
    const r = JSON.parse(body) as WaveResults;
    expect(question(r, 'thuis').total.n).toBe(30);
    expect(question(r, 'beter').texts).toHaveLength(30);
  });

  it('shows "too few answers" for 5 respondents', async () => {
    const r = (await (await get(FEW, tokens.wijkteam)).json()) as WaveResults;
    expect(r.notice!.en).toBe('too few answers');
    expect(r.questions).toEqual([]);
  });

  it('shows a running wave to an analyst token but not to a wijkteam token', async () => {
    const wijkteam = (await (await get(RUNNING, tokens.wijkteam)).json()) as WaveResults;
    expect(wijkteam).toMatchObject({ shown: false, questions: [] });
    expect(wijkteam.notice!.nl).toBe('de peiling loopt nog');
    const analyst = (await (await get(RUNNING, tokens.analyst)).json()) as WaveResults;
    expect(analyst.respondents).toBe(30);
  });

  it('answers 404 for an unknown wave, 400 for a bad id, 401 without a token', async () => {
    expect((await get(UNKNOWN_WAVE, tokens.admin)).status).toBe(404);
    const bad = await get('12345', tokens.admin);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toContain('uuid');
    expect((await fetch(`${base}/api/waves/${MANY}/results`)).status).toBe(401);
  });

  it('records who looked', async () => {
    const rows = await app.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'wave.results')
      .execute();
    expect(rows.length).toBeGreaterThan(0);
  });
});

describe('/results WAVE in the staff chat', () => {
  it('shows the wijkteam the distribution and the scrubbed free texts of a closed wave', async () => {
    const replies = (await users.send(STAFF, `/results ${MANY.slice(0, 8)}`)).join('\n');
    expect(replies).toContain('Voel je je thuis in je buurt?');
    expect(replies).toContain('Nee, helemaal niet 20%');
    expect(replies).toContain('Nazareth (20 antwoorden)');
    expect(replies).toContain('over de speeltuin');
    expect(replies).not.toContain(PHONE);
    expect(replies).not.toContain(NAME);
  });

  it('says too few answers for 5 respondents', async () => {
    const replies = (await users.send(STAFF, `/results ${FEW}`)).join('\n');
    expect(replies).toContain('Te weinig antwoorden');
    expect(replies).not.toContain('bankjes');
  });

  it('says the poll is still running to the wijkteam, and shows it to an analyst', async () => {
    const wijkteam = (await users.send(STAFF, `/results ${RUNNING}`)).join('\n');
    expect(wijkteam).toContain('De peiling loopt nog');
    expect(wijkteam).not.toContain('bankjes');
    const analyst = (await users.send(ANALYST, `/results ${RUNNING}`)).join('\n');
    expect(analyst).toContain('Meer bankjes');
  });

  it('lists the wave numbers in /results and explains an unknown number', async () => {
    expect((await users.send(STAFF, '/results')).join('\n')).toContain(MANY.slice(0, 8));
    expect((await users.send(STAFF, `/results ${UNKNOWN_WAVE}`)).join('\n')).toContain(
      'Die peiling ken ik niet',
    );
    expect((await users.send(STAFF, '/results gisteren')).join('\n')).toContain('/results 1a2b3c4d');
  });
});

describe('a wave answered through the engine', () => {
  it('shows the wijkteam what 12 console residents answered once the wave is closed', async () => {
    const residents = Array.from({ length: 12 }, (_, i) => `buur-${String(i).padStart(2, '0')}`);
    await seedResidents(
      app,
      residents.map((address) => ({ address, area: 'pottenberg' })),
    );
    const menu = (await users.send(STAFF, '/poll')).join('\n');
    const choice = /(\d+)\D{0,5}thuis/i.exec(menu)?.[1] ?? /(\d+)\D{0,5}Thuis in je buurt/.exec(menu)?.[1];
    expect(choice, menu).toBeDefined();
    const areas = (await users.send(STAFF, choice!)).join('\n');
    const everyone = /(\d+)\D{0,5}Iedereen/.exec(areas)?.[1];
    expect(everyone, areas).toBeDefined();
    expect((await users.send(STAFF, everyone!, 'ja')).join('\n')).toMatch(/De peiling is gestart/);
    const waveId = (
      await app.db
        .selectFrom('waves')
        .select('id')
        .where('poll', '=', 'thuis')
        .orderBy('created_at', 'desc')
        .executeTakeFirstOrThrow()
    ).id;
    for (const [i, address] of residents.entries()) {
      await eventually(
        async () => (await users.inbox(address)).some((m) => m.includes('Voel je je thuis')),
        20_000,
        `the invitation to ${address}`,
      );
      const text =
        i === 0 ? `Bel me op ${PHONE}` : i === 1 ? `Mijn buurvrouw ${NAME} helpt` : `Meer groen ${i}`;
      await users.send(address, i % 2 === 0 ? '4' : '5', text);
    }
    expect((await users.send(STAFF, `/results ${waveId.slice(0, 8)}`)).join('\n')).toContain(
      'De peiling loopt nog',
    );
    await app.db.updateTable('waves').set({ status: 'closed' }).where('id', '=', waveId).execute();

    const replies = (await users.send(STAFF, `/results ${waveId.slice(0, 8)}`)).join('\n');
    expect(replies).toContain('Ja, meestal 50% · Ja, helemaal 50%');
    expect(replies).toContain('Meer groen 7');
    expect(replies).not.toContain(PHONE);
    expect(replies).not.toContain(NAME);
    const cli = await runCli(['poll', 'results', waveId, '--json'], vars);
    const r = JSON.parse(cli.stdout) as WaveResults;
    expect(question(r, 'thuis').total.n).toBe(10);
    expect(question(r, 'thuis_uitleg').texts).toHaveLength(12);
  }, 90_000);
});

describe('a wave of an earlier poll version', () => {
  const PINNED = '0a200000-0000-4000-8000-000000000012';
  const poll = (text: string, extra: boolean): PollDefinition => ({
    id: 'buurtfeest',
    title: { nl: 'Buurtfeest', en: 'Street party' },
    questions: [
      { id: 'komen', type: 'yesno', text: { nl: text, en: 'Are you coming?' } },
      ...(extra
        ? [
            {
              id: 'eten',
              type: 'yesno' as const,
              text: { nl: 'Neem je eten mee?', en: 'Will you bring food?' },
            },
          ]
        : []),
    ],
  });

  it('shows and drafts the questions of the version the wave was launched with, not the latest', async () => {
    await app.db.transaction().execute(async (tx) => {
      await storePollVersion(tx, poll('Kom je naar het buurtfeest?', false), {
        source: 'cli',
        actor: 'test',
      });
      await storePollVersion(tx, poll('Kom je met de buren naar het feest?', true), {
        source: 'cli',
        actor: 'test',
      });
    });
    await app.db
      .insertInto('waves')
      .values({
        id: PINNED,
        poll: 'buurtfeest',
        poll_version: 1,
        audience: JSON.stringify({}),
        opens_at: new Date(Date.now() - 7 * 86_400_000),
        closes_at: new Date(Date.now() - 86_400_000),
        status: 'closed',
        created_by: 'test',
      })
      .execute();
    for (let i = 0; i < 12; i++)
      await app.db
        .insertInto('answers')
        .values({
          respondent: `feest-${i}`,
          wave_id: PINNED,
          wave_key: PINNED,
          poll: 'buurtfeest',
          poll_version: 1,
          question: 'komen',
          answer_code: i < 9 ? 'ja' : 'nee',
          area: 'nazareth',
          age_group: '41-65',
          language: 'nl',
          answered_on: '2026-03-02',
        })
        .execute();

    const catalog = await loadPollCatalog(app.db);
    const r = await waveResults(pool.db, PINNED, {
      ...options,
      polls: catalog.current,
      pollVersion: (p, v) => catalog.version(p, v),
    });
    expect(r).toMatchObject({ poll: 'buurtfeest', poll_version: 1, respondents: 10 });
    expect(r!.questions.map((q) => [q.id, q.text.nl])).toEqual([['komen', 'Kom je naar het buurtfeest?']]);

    const cli = await runCli(['poll', 'results', PINNED, '--json'], vars);
    expect(cli.stderr).toBe('');
    const printed = JSON.parse(cli.stdout) as WaveResults;
    expect(printed.poll_version).toBe(1);
    expect(printed.questions.map((q) => q.text.nl)).toEqual(['Kom je naar het buurtfeest?']);

    const draft = await runCli(['flash', 'draft', '--wave', PINNED, '--json'], vars);
    expect(draft.stderr).toBe('');
    const { nl } = JSON.parse(draft.stdout) as { nl: string };
    expect(nl).toContain('Kom je naar het buurtfeest?');
    expect(nl).not.toContain('Neem je eten mee?');

    // The running app learns of the versions within seconds; the API then shows version 1 too.
    const api = await eventually(
      async () => {
        const res = await fetch(`${base}/api/waves/${PINNED}/results`, {
          headers: { authorization: `Bearer ${tokens.wijkteam}` },
        });
        const body = (await res.json()) as WaveResults;
        return body.questions.length > 0 ? body : undefined;
      },
      15_000,
      'the API knowing the poll versions',
    );
    expect(api!.questions.map((q) => q.text.nl)).toEqual(['Kom je naar het buurtfeest?']);
  }, 60_000);
});
