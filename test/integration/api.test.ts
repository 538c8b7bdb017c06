import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { createToken, revokeToken } from '../../src/auth/tokens.js';
import { startTestApp } from '../helpers/app.js';
import { runCli } from '../helpers/cli.js';
import type { TestSetup } from '../helpers/env.js';

let app: App;
let setup: TestSetup;
let stop: () => Promise<void>;
let base: string;
const tokens: Record<'analyst' | 'wijkteam' | 'admin', string> = { analyst: '', wijkteam: '', admin: '' };

const get = (path: string, token?: string) =>
  fetch(`${base}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {}, redirect: 'manual' });

beforeAll(async () => {
  ({ app, setup, stop } = await startTestApp({}, 'ingress'));
  base = `http://127.0.0.1:${app.httpPort}`;
  for (const role of ['analyst', 'wijkteam', 'admin'] as const)
    tokens[role] = (await createToken(app.db, role)).token;
  await sql`
    insert into answers (respondent, wave_key, poll, question, indicator, answer_code, answer_number, area,
      age_group, language, channel, answered_on)
    select 'stored-pseudonym-' || i, '', 'thuis', 'thuis', 'thuis_in_buurt', (1 + i % 5)::text, 1 + i % 5,
      case when i % 2 = 0 then 'nazareth' else 'pottenberg' end, '41-65', 'nl', 'telegram', date '2026-03-01' + i % 20
    from generate_series(1, 40) i`.execute(app.db);
  await app.db
    .insertInto('ideas')
    .values([
      {
        text: 'Een moestuin bij de school',
        theme: 'wonen',
        area: 'nazareth',
        language: 'nl',
        created_at: '2026-03-02T10:00:00Z',
        updated_at: '2026-03-02T10:00:00Z',
      },
      {
        text: 'Bankjes; "graag"',
        theme: 'anders',
        area: 'pottenberg',
        language: 'nl',
        created_at: '2026-03-05T10:00:00Z',
        updated_at: '2026-03-05T10:00:00Z',
      },
    ])
    .execute();
}, 60_000);

afterAll(async () => {
  await stop?.();
});

describe('the API without a valid token', () => {
  it('answers 401 with the same body whether the route exists or not', async () => {
    const paths = [
      '/api/exports/responses.csv',
      '/api/aggregates.json',
      '/api/no-such-thing',
      '/api/exports/secret.csv',
    ];
    const bodies = new Set<string>();
    for (const path of paths) {
      for (const token of [undefined, 'sp_wrongwrongwrongwrongwrongwrongwrongwrongwro', 'garbage']) {
        const res = await get(path, token);
        expect(res.status, `${path} ${token}`).toBe(401);
        expect(res.headers.get('www-authenticate')).toBe('Bearer realm="straatpraat"');
        bodies.add(await res.text());
      }
    }
    expect(bodies.size).toBe(1);
    expect(JSON.parse([...bodies][0]!)).toMatchObject({ error: 'unauthorized' });
  });

  it('refuses a revoked token', async () => {
    const { id, token } = await createToken(app.db, 'admin', 'short-lived');
    expect((await get('/api/aggregates.json', token)).status).toBe(200);
    await revokeToken(app.db, id);
    expect((await get('/api/aggregates.json', token)).status).toBe(401);
  });
});

describe('roles', () => {
  it('let the wijkteam read aggregates and ideas but not the answer rows or the codebook (403)', async () => {
    expect((await get('/api/aggregates.json', tokens.wijkteam)).status).toBe(200);
    expect((await get('/api/aggregates.csv', tokens.wijkteam)).status).toBe(200);
    expect((await get('/api/exports/ideas.csv', tokens.wijkteam)).status).toBe(200);
    for (const path of [
      '/api/exports/responses.csv',
      '/api/exports/responses.xlsx',
      '/api/exports/codebook.md',
    ]) {
      const res = await get(path, tokens.wijkteam);
      expect(res.status, path).toBe(403);
      expect(await res.json()).toMatchObject({ error: 'forbidden' });
    }
  });

  it('give panel ids to an admin only', async () => {
    expect((await get('/api/exports/responses.csv?panel_ids=true', tokens.analyst)).status).toBe(403);
    const admin = await get('/api/exports/responses.csv?panel_ids=true', tokens.admin);
    expect(admin.status).toBe(200);
    const rows = parse(await admin.text(), { columns: true }) as { respondent: string }[];
    expect(rows).toHaveLength(40);
    expect(rows.every((r) => r.respondent.startsWith('stored-pseudonym-'))).toBe(true);
    const analyst = parse(await (await get('/api/exports/responses.csv', tokens.analyst)).text(), {
      columns: true,
    }) as { respondent: string }[];
    expect(analyst.some((r) => r.respondent.startsWith('stored-pseudonym-'))).toBe(false);
    // Who took which export is in the audit log, panel ids included.
    const audit = await app.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'export')
      .where('actor', 'like', 'token:%')
      .execute();
    expect(audit.some((a) => (a.details as { panelIds: boolean }).panelIds)).toBe(true);
  });

  it('answer 404 for an unknown route once the token is valid', async () => {
    expect((await get('/api/exports/nothing.csv', tokens.admin)).status).toBe(404);
  });

  it('record when a token was last used', async () => {
    const { id, token } = await createToken(app.db, 'analyst');
    const before = await app.db
      .selectFrom('api_tokens')
      .select('last_used_at')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(before.last_used_at).toBeNull();
    await get('/api/exports/codebook.csv', token);
    const after = await app.db
      .selectFrom('api_tokens')
      .select('last_used_at')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(after.last_used_at).toBeInstanceOf(Date);
  });
});

describe('exports over HTTP', () => {
  it('stream the responses as CSV (with ; and BOM), XLSX and JSON Lines with download headers', async () => {
    const csv = await get(
      '/api/exports/responses.csv?delimiter=semicolon&bom=true&area=nazareth',
      tokens.analyst,
    );
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename="straatpraat-responses.csv"');
    const bytes = Buffer.from(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse(bytes, { columns: true, bom: true, delimiter: ';' }) as { area: string }[];
    expect(rows).toHaveLength(20);
    expect(rows.every((r) => r.area === 'nazareth')).toBe(true);

    const xlsx = await get('/api/exports/responses.xlsx?from=2026-03-05&to=2026-03-09', tokens.analyst);
    expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await xlsx.arrayBuffer());
    expect(workbook.getWorksheet('responses')!.rowCount).toBe(1 + 10);

    const jsonl = await get('/api/exports/responses.jsonl?poll=thuis', tokens.analyst);
    const lines = (await jsonl.text()).trim().split('\n');
    expect(lines).toHaveLength(40);
    expect(JSON.parse(lines[0]!)).toMatchObject({ poll: 'thuis', indicator: 'thuis_in_buurt' });
  });

  it('serve the codebook as CSV, Markdown and SPSS syntax', async () => {
    const md = await (await get('/api/exports/codebook.md', tokens.analyst)).text();
    expect(md).toContain('# Straatpraat codebook');
    expect(md).toContain('Voel je je thuis in je buurt?');
    const sps = await (await get('/api/exports/codebook.sps?delimiter=;', tokens.analyst)).text();
    expect(sps).toContain('GET DATA');
    expect(sps).toContain('/DELIMITERS=";"');
    const csv = parse(await (await get('/api/exports/codebook.csv', tokens.admin)).text(), { columns: true });
    expect(csv.length).toBeGreaterThan(50);
  });

  it('serve the aggregates as JSON and CSV, computed from the monitor store', async () => {
    // Filters are for roles that read the answer rows; the wijkteam gets whole waves (aggregates-differencing).
    const json = (await (await get('/api/aggregates.json?area=nazareth', tokens.analyst)).json()) as {
      min_cell: number;
      cells: { level: string; n: number }[];
    };
    expect(json.min_cell).toBe(10);
    expect(json.cells.find((c) => c.level === 'total')?.n).toBe(20);
    const csv = await (await get('/api/aggregates.csv', tokens.analyst)).text();
    expect(csv.split('\n')[0]).toBe(
      'indicator,measure,wave,wave_start,polls,level,area,age_group,n,value,ci_low,ci_high,suppressed,reason,baseline,baseline_year,target,target_year,target_note',
    );
  });

  it('serve the ideas without any link to the resident', async () => {
    const res = await get('/api/exports/ideas.csv?area=pottenberg', tokens.wijkteam);
    const text = await res.text();
    expect(text.split('\n')[0]).toBe('id,area,theme,status,created_on,text');
    expect(parse(text, { columns: true })).toEqual([
      {
        id: expect.any(String),
        area: 'pottenberg',
        theme: 'anders',
        status: 'nieuw',
        created_on: '2026-03-05',
        text: 'Bankjes; "graag"',
      },
    ]);
  });

  it('refuse a bad query with 400 and say what is wrong', async () => {
    const cases: [string, RegExp][] = [
      [
        '/api/exports/responses.csv?area=centrum',
        /^area: expected one of nazareth, pottenberg, elders, geen$/,
      ],
      ['/api/exports/responses.csv?from=2026-13-01', /^from: expected a date like 2026-01-31/],
      [
        '/api/exports/responses.csv?from=2026-03-10&to=2026-03-01',
        /^to: the end date \(to\) is before the start date/,
      ],
      ['/api/exports/responses.csv?wave=latest', /^wave: expected a wave id \(uuid\) or onboarding-YYYY-MM/],
      ['/api/aggregates.json?colour=red', /^unknown query parameter colour/],
      ['/api/exports/ideas.csv?poll=thuis', /^poll: ideas have no poll or wave$/],
      ['/api/exports/codebook.md?area=nazareth', /^area: the codebook takes no filters$/],
      ['/api/exports/responses.csv?bom=maybe', /^bom: expected true or false/],
    ];
    for (const [path, message] of cases) {
      const res = await get(path, tokens.admin);
      expect(res.status, path).toBe(400);
      const body = (await res.json()) as { error: string; message: string };
      expect(body.error).toBe('bad request');
      expect(body.message, path).toMatch(message);
    }
  });
});

describe('straatpraat token create', () => {
  it('prints the token once and stores only its SHA-256 hash', async () => {
    const result = await runCli(
      ['token', 'create', '--role', 'analyst', '--name', 'O&S Maastricht'],
      setup.vars,
    );
    expect(result.code).toBe(0);
    const token = result.stdout.trim();
    expect(token).toMatch(/^sp_[A-Za-z0-9_-]{43}$/);
    expect(result.stderr).toMatch(/shown only now/);
    const stored = await sql<{ row: string }>`select api_tokens::text as row from api_tokens`.execute(app.db);
    expect(stored.rows.some((r) => r.row.includes(token))).toBe(false);
    const row = await app.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('name', '=', 'O&S Maastricht')
      .executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(row.role).toBe('analyst');
    expect((await get('/api/exports/codebook.csv', token)).status).toBe(200);
  });

  it('refuses an unknown role', async () => {
    const result = await runCli(['token', 'create', '--role', 'resident'], setup.vars);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/Allowed choices are analyst, wijkteam, admin/);
  });
});
