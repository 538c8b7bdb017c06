import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPolls } from '../../flows/polls/catalog.js';
import type { App } from '../../src/app.js';
import { createToken } from '../../src/auth/tokens.js';
import { type AggregateCell, computeAggregates } from '../../src/export/aggregates.js';
import { codebookCsv, codebookMarkdown } from '../../src/export/codebook.js';
import { ExportPool } from '../../src/export/pool.js';
import { startTestApp } from '../helpers/app.js';
import { seedResidents } from '../helpers/desk.js';

// deelname_ontmoetingen (who said they would come to an activity, over the residents who receive
// flashes) and the help-request context of toegang_hulp, per month and area, in the aggregates read
// as the monitor reader role: suppressed like the wave cells, closed months only for the wijkteam.

let app: App;
let stop: () => Promise<void>;
let base: string;
let pool: ExportPool;
const tokens = { analyst: '', wijkteam: '' };

function month(offset: number): string {
  const now = new Date();
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 15, 12));
  return d.toISOString().slice(0, 7);
}
const LAST = month(-1);
const THIS = month(0);
const at = (m: string, day = 15) => new Date(`${m}-${String(day).padStart(2, '0')}T12:00:00Z`);

async function ids(prefix: string): Promise<string[]> {
  const rows = await app.db
    .selectFrom('residents')
    .select('id')
    .where('address', 'like', `${prefix}%`)
    .orderBy('address')
    .execute();
  return rows.map((r) => r.id);
}

async function session(when: Date, residents: readonly string[]): Promise<void> {
  const flash = await app.db
    .insertInto('flashes')
    .values({
      kind: 'session',
      texts: JSON.stringify({ nl: 'Straatpraat in het buurthuis' }),
      session: JSON.stringify({ where: 'Buurthuis', who: 'wethouder' }),
      session_at: when,
      audience: JSON.stringify({}),
      rsvp: true,
      created_by: 'test',
      created_at: when,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (residents.length > 0)
    await app.db
      .insertInto('flash_rsvps')
      .values(residents.map((resident_id) => ({ flash_id: flash.id, resident_id, created_at: when })))
      .execute();
}

async function helpRequests(area: string, residents: readonly string[], answeredInTime: number, m: string) {
  await app.db
    .insertInto('help_requests')
    .values(
      residents.map((resident_id, i) => ({
        resident_id,
        area,
        status: 'closed',
        created_at: at(m, 3),
        due_at: at(m, 4),
        first_answered_at: i < answeredInTime ? at(m, 3) : at(m, 8),
        closed_at: at(m, 9),
      })),
    )
    .execute();
}

beforeAll(async () => {
  let setup: Awaited<ReturnType<typeof startTestApp>>['setup'];
  ({ app, setup, stop } = await startTestApp({}, 'ingress'));
  base = `http://127.0.0.1:${app.httpPort}`;
  pool = new ExportPool({ databaseUrl: setup.env.DATABASE_URL, size: 1 });
  tokens.analyst = (await createToken(app.db, 'analyst')).token;
  tokens.wijkteam = (await createToken(app.db, 'wijkteam')).token;
  const many = (prefix: string, area: string, n: number, extra = {}) =>
    Array.from({ length: n }, (_, i) => ({
      address: `${prefix}-${String(i).padStart(3, '0')}`,
      area,
      ...extra,
    }));
  await seedResidents(app, [
    ...many('naz', 'nazareth', 40),
    ...many('pot', 'pottenberg', 20),
    // Neither counts: no flashes, or stopped.
    ...many('nonews', 'nazareth', 7, { newsOptOut: true }),
    ...many('stopped', 'pottenberg', 5, { status: 'stopped' }),
  ]);
  const naz = await ids('naz-');
  const pot = await ids('pot-');
  // Last month: 12 of 40 in Nazareth, 3 of 20 in Pottenberg said they would come (one twice).
  await session(at(LAST, 10), [...naz.slice(0, 12), ...pot.slice(0, 3)]);
  await session(at(LAST, 20), naz.slice(0, 1));
  // This month, still going: 20 in Nazareth.
  await session(at(THIS, 1), naz.slice(0, 20));
  // Help requests last month: 15 in Nazareth (12 answered within a working day), 3 in Pottenberg.
  await helpRequests('nazareth', naz.slice(0, 15), 12, LAST);
  await helpRequests('pottenberg', pot.slice(0, 3), 3, LAST);
}, 60_000);

afterAll(async () => {
  await pool?.close();
  await stop?.();
});

const options = { minCell: 10, polls: loadPolls() };
const find = (cells: readonly AggregateCell[], measure: string, wave: string, area: string) =>
  cells.find((c) => c.measure === measure && c.wave === wave && c.area === area);

describe('deelname_ontmoetingen in the aggregates', () => {
  it('counts per month and area who said they would come, over the residents who receive flashes', async () => {
    const { cells } = await computeAggregates(pool.db, {}, options);
    const wave = `month-${LAST}`;
    expect(find(cells, 'share_of_residents', wave, 'nazareth')).toMatchObject({
      indicator: 'deelname_ontmoetingen',
      level: 'area',
      n: 40,
      value: 0.3,
      suppressed: false,
    });
    expect(find(cells, 'share_of_residents', wave, 'pottenberg')).toMatchObject({ n: 20, value: 0.15 });
    expect(find(cells, 'share_of_residents', wave, 'totaal')).toMatchObject({
      level: 'total',
      n: 60,
      value: 0.25,
      target: 0.1,
    });
  });

  it('shows the month still going to analysts only', async () => {
    const analyst = await computeAggregates(pool.db, {}, options);
    expect(find(analyst.cells, 'share_of_residents', `month-${THIS}`, 'nazareth')).toMatchObject({
      value: 0.5,
    });
    const wijkteam = await computeAggregates(pool.db, {}, { ...options, settledOnly: true });
    expect(wijkteam.cells.some((c) => c.wave === `month-${THIS}`)).toBe(false);
    expect(wijkteam.cells.some((c) => c.wave === `month-${LAST}`)).toBe(true);
  });

  it('comes only without a poll or wave filter; an area filter keeps that area', async () => {
    const polled = await computeAggregates(pool.db, { poll: 'thuis' }, options);
    expect(polled.cells.filter((c) => c.wave.startsWith('month-'))).toEqual([]);
    const area = await computeAggregates(pool.db, { area: 'pottenberg' }, options);
    const monthly = area.cells.filter((c) => c.wave.startsWith('month-'));
    expect(monthly.length).toBeGreaterThan(0);
    expect(monthly.every((c) => c.area === 'pottenberg')).toBe(true);
  });
});

describe('the help-request context of toegang_hulp', () => {
  it('gives requests opened and the share answered within a working day, hiding a small area', async () => {
    const { cells } = await computeAggregates(pool.db, {}, options);
    const wave = `month-${LAST}`;
    const pot = find(cells, 'help_answered_within_day', wave, 'pottenberg')!;
    expect(pot).toMatchObject({ indicator: 'toegang_hulp', suppressed: true, n: null, value: null });
    const naz = find(cells, 'help_answered_within_day', wave, 'nazareth')!;
    const total = find(cells, 'help_answered_within_day', wave, 'totaal')!;
    // Nazareth and the total together would give Pottenberg away: at least one is hidden too.
    expect(naz.suppressed || total.suppressed).toBe(true);
    for (const c of [naz, total].filter((x) => !x.suppressed)) expect(c.n! % 5).toBe(0);
  });

  it('protects the whole table before an area filter picks its row', async () => {
    const { cells } = await computeAggregates(pool.db, { area: 'nazareth' }, options);
    const naz = find(cells, 'help_answered_within_day', `month-${LAST}`, 'nazareth')!;
    // The table is protected as a whole before the area filter picks its row.
    expect(naz.suppressed).toBe(
      find(
        (await computeAggregates(pool.db, {}, options)).cells,
        'help_answered_within_day',
        `month-${LAST}`,
        'nazareth',
      )!.suppressed,
    );
  });
});

describe('codebook, API and results page', () => {
  it('names both measures in the codebook', () => {
    const md = codebookMarkdown(options.polls);
    expect(md).toContain('`share_of_residents`');
    expect(md).toContain('`help_answered_within_day`');
    const csv = codebookCsv(options.polls);
    expect(csv).toMatch(/^measure,.*share_of_residents/m);
  });

  it('gives a wijkteam token the past month in aggregates.json', async () => {
    const res = await fetch(`${base}/api/aggregates.json`, {
      headers: { authorization: `Bearer ${tokens.wijkteam}` },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { cells: AggregateCell[] };
    expect(find(body.cells, 'share_of_residents', `month-${LAST}`, 'nazareth')?.value).toBe(0.3);
    expect(body.cells.some((c) => c.wave === `month-${THIS}`)).toBe(false);
  });

  it('shows deelname_ontmoetingen and the help requests on the results page', async () => {
    const res = await fetch(`${base}/results`, { headers: { authorization: `Bearer ${tokens.analyst}` } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('data-indicator="deelname_ontmoetingen"');
    expect(html).toContain(`maand ${LAST}`);
    expect(html).toContain('Hulpvragen per maand');
    // Monthly counts are not waves one can pick.
    expect(html).not.toContain('wave=month-');
  });
});
