import type { Context, Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import { z } from 'zod';
import { loadPolls } from '../../flows/polls/catalog.js';
import { type StaffSession, verifyStaffSession } from '../auth/staff-sessions.js';
import { allows, verifyToken } from '../auth/tokens.js';
import { recordAudit, staffActor } from '../desk/audit.js';
import { type AggregateCell, type Aggregates, computeAggregates, TOTAL } from '../export/aggregates.js';
import { VALUE_LABELS } from '../export/codebook.js';
import { baselineFor, type Indicator, loadIndicators, targetFor } from '../export/indicators.js';
import { MONTH_PREFIX } from '../export/participation.js';
import { WaveKeySchema } from '../export/responses.js';
import type { ApiDeps } from './api.js';
import { bearerToken, beginSession, endSession, presentedHolder, type SessionCookie } from './auth.js';
import { AREA_NAMES, indicatorSpec, renderSvg, waveLabel } from './results-chart.js';

const HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  // Not no-referrer: with it, browsers send `Origin: null` on the page's own forms, which the
  // same-origin check refuses. Other sites still get no Referer.
  'referrer-policy': 'same-origin',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  // Charts are inline SVG drawn on the server: the page runs no script at all.
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
};

const ResultsQuerySchema = z.strictObject({ wave: WaveKeySchema.optional() });

/** The sign-in form's fields: a token, nothing else. */
const LoginSchema = z.strictObject({ token: z.string().trim().min(1).max(200) });

/**
 * Mounts the results page (`GET /results`): per indicator a chart over the waves per area, with
 * baseline, 2030 target, n and interval; a suppressed cell says "verborgen" in readable text. It reads
 * only the aggregates (a wijkteam sign-in: closed waves and past months only). A caller shows a token as `Authorization: Bearer`, or signs in with the form:
 * the token is checked once and the browser gets a session cookie (8 hours at most, ended by
 * signing out), never the token itself. A token in the address (`?token=`) is not accepted.
 * With `deskCookie` (the web desk's session cookie), a browser signed in on the desk sees the page
 * too, as its staff member's role; such a view is audited like a desk page.
 */
export function mountResults(app: Hono, deps: ApiDeps, cookie: SessionCookie, deskCookie?: string): void {
  const polls = () => deps.polls?.() ?? loadPolls();

  /** The desk's staff session of this browser, when no token (header or results sign-in) is shown. */
  const deskSession = async (c: Context): Promise<StaffSession | undefined> => {
    if (!deskCookie || bearerToken(c) !== undefined) return undefined;
    const secret = getCookie(c, deskCookie);
    return secret ? verifyStaffSession(deps.db, secret) : undefined;
  };

  app.get('/results', async (c) => {
    const holder = await presentedHolder(c, deps.db, cookie);
    const staff = holder ? undefined : await deskSession(c);
    const role = holder?.role ?? staff?.role;
    if (!role || !allows(role, 'results')) return signIn(c);
    const query = ResultsQuerySchema.safeParse(c.req.query());
    if (!query.success) {
      return c.html(
        page(
          'Fout / Error',
          `<p>Dit adres klopt niet. <span lang="en">This address is not right.</span></p>
          <p>${escapeHtml(query.error.issues[0]!.message)}</p><p><a href="/results">Alle uitslagen / All results</a></p>`,
        ),
        400,
        HEADERS,
      );
    }
    const wave = query.data.wave;
    // Who cannot read answer rows sees closed waves and past months only (see computeAggregates).
    const options = { minCell: deps.minCell, polls: polls(), settledOnly: !allows(role, 'responses') };
    const [aggregates, all] = await Promise.all([
      computeAggregates(deps.exports.db, wave ? { wave } : {}, options),
      wave ? computeAggregates(deps.exports.db, {}, options) : undefined,
    ]);
    if (staff)
      await recordAudit(
        deps.db,
        staffActor(staff.staffId),
        'results.view',
        { ...(wave && { wave }), via: 'web' },
        new Date(),
      );
    return c.html(
      await resultsPage(aggregates, all ?? aggregates, wave, { fromDesk: staff !== undefined }),
      200,
      HEADERS,
    );
  });

  app.post('/results/login', async (c) => {
    const form = LoginSchema.safeParse(await c.req.parseBody());
    const holder = form.success ? await verifyToken(deps.db, form.data.token) : undefined;
    if (!holder || !allows(holder.role, 'results'))
      return signIn(c, 'Deze toegangscode werkt niet.', 'This token does not work.');
    const sessionId = await beginSession(c, deps.db, cookie, holder);
    await recordAudit(deps.db, `token:${holder.id}`, 'session.start', { sessionId }, new Date());
    return c.redirect('/results', 303);
  });

  app.post('/results/logout', async (c) => {
    const ended = await endSession(c, deps.db, cookie);
    if (ended)
      await recordAudit(
        deps.db,
        `token:${ended.id}`,
        'session.end',
        { sessionId: ended.sessionId },
        new Date(),
      );
    return c.redirect('/results', 303);
  });
}

function signIn(c: Context, problemNl?: string, problemEn?: string) {
  const problem = problemNl
    ? `<p class="problem">${escapeHtml(problemNl)} <span lang="en">${escapeHtml(problemEn ?? '')}</span></p>`
    : '';
  return c.html(
    page(
      'Inloggen / Sign in',
      `<h1>Uitslagen van Straatpraat <span lang="en">Straatpraat results</span></h1>
      <p>Voor deze pagina heb je een toegangscode nodig. Die krijg je van de beheerder.
      <span lang="en">You need an access token for this page. The administrator gives you one.</span></p>
      ${problem}
      <form method="post" action="/results/login">
        <label for="token">Toegangscode <span lang="en">Token</span></label>
        <input id="token" name="token" type="password" autocomplete="off" required>
        <button type="submit">Inloggen <span lang="en">Sign in</span></button>
      </form>`,
    ),
    401,
    { ...HEADERS, 'www-authenticate': 'Bearer realm="straatpraat"' },
  );
}

const STYLE = `
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 0 auto; padding: 1rem 1.25rem 3rem; color: #111; line-height: 1.5; }
h1, h2, h3 { line-height: 1.25; } h1 { font-size: 1.8rem; } h2 { margin-top: 2.5rem; border-top: 2px solid #ddd; padding-top: 1rem; }
[lang="en"] { color: #555; font-weight: normal; } h1 [lang="en"], h2 [lang="en"] { display: block; font-size: 0.7em; }
table { border-collapse: collapse; width: 100%; margin: 0.75rem 0; font-size: 0.95rem; }
th, td { border-bottom: 1px solid #ddd; padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #f3f3f3; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.suppressed td { background: #e6e6e6; color: #111; font-style: italic; }
figure { margin: 1rem 0; overflow-x: auto; } figure svg { max-width: 100%; height: auto; }
nav a { margin-right: 0.75rem; } nav a[aria-current] { font-weight: bold; }
.meta { margin: 0.25rem 0; } .problem { color: #a00; }
form { display: flex; gap: 0.5rem; align-items: center; flex-wrap: wrap; }
input, button { font: inherit; padding: 0.3rem 0.6rem; }
`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="nl">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body>${body}</body>
</html>
`;
}

/** Escapes text for HTML. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

const percent = new Intl.NumberFormat('nl-NL', { style: 'percent', maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat('nl-NL', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

function figure(indicator: Indicator, value: number | null): string {
  if (value === null) return '';
  return indicator.measure === 'mean' ? decimal.format(value) : percent.format(value);
}

/** The cells an indicator's section charts: its poll answers, or its monthly count. */
function cellMeasure(indicator: Indicator): AggregateCell['measure'] {
  return indicator.measure === 'count_rsvp' ? 'share_of_residents' : indicator.measure;
}

/** The help requests per month under `toegang_hulp`: context, no chart, no baseline or target. */
function helpContext(cells: readonly AggregateCell[]): string {
  const rows = cells.filter((c) => c.measure === 'help_answered_within_day');
  if (rows.length === 0) return '';
  const body = rows
    .map((c) => {
      const lead = `<td>${escapeHtml(waveLabel(c))}</td><td>${escapeHtml(AREA_NAMES[c.area] ?? c.area)}</td>`;
      if (c.suppressed) return `<tr class="suppressed">${lead}<td colspan="2">${HIDDEN_TEXT}</td></tr>`;
      return `<tr>${lead}<td class="num">${c.n}</td><td class="num">${c.value === null ? '' : percent.format(c.value)}</td></tr>`;
    })
    .join('\n');
  return `<h3>Hulpvragen per maand <span lang="en">Help requests per month</span></h3>
    <p class="meta">Achtergrond bij dit doel: hoeveel hulpvragen er kwamen, en hoeveel binnen een werkdag antwoord kregen.
    <span lang="en">Context for this aim: help requests opened, and the share answered within a working day.</span></p>
    <table><thead><tr><th scope="col">Maand <span lang="en">Month</span></th><th scope="col">Buurt <span lang="en">Area</span></th>
    <th scope="col">Hulpvragen, afgerond <span lang="en">Requests, rounded</span></th>
    <th scope="col">Binnen een werkdag beantwoord <span lang="en">Answered within a working day</span></th></tr></thead>
    <tbody>${body}</tbody></table>`;
}

// One text for every hidden cell: saying why (too few people, or to protect another cell) would
// tell which hidden cell is the small one.
const HIDDEN_TEXT = 'Verborgen <span lang="en">Hidden</span>';

const ageName = (code: string) =>
  code === TOTAL
    ? 'Alle leeftijden'
    : (VALUE_LABELS.age_group?.[code]?.nl ?? (code === 'onbekend' ? 'Onbekend' : code));

function cellRow(indicator: Indicator, cell: AggregateCell, columns: string[]): string {
  const lead = columns.map((c) => `<td>${escapeHtml(c)}</td>`).join('');
  const aims = `<td class="num">${figure(indicator, cell.baseline)}</td><td class="num">${
    cell.target !== null ? figure(indicator, cell.target) : escapeHtml(cell.target_note ?? '')
  }</td>`;
  if (cell.suppressed) {
    return `<tr class="suppressed" data-reason="${escapeHtml(cell.reason ?? '')}">${lead}<td colspan="3">${HIDDEN_TEXT}</td>${aims}</tr>`;
  }
  const interval = `${figure(indicator, cell.ci_low)} – ${figure(indicator, cell.ci_high)}`;
  return `<tr>${lead}<td class="num">${cell.n}</td><td class="num">${figure(indicator, cell.value)}</td><td class="num">${interval}</td>${aims}</tr>`;
}

function tableHead(indicator: Indicator, lead: string[]): string {
  const value =
    indicator.measure === 'share_positive'
      ? 'Aandeel positief <span lang="en">Share positive</span>'
      : indicator.measure === 'count_rsvp'
        ? 'Aandeel dat zei te komen <span lang="en">Share who said they would come</span>'
        : 'Gemiddeld cijfer <span lang="en">Mean mark</span>';
  return `<thead><tr>${lead.map((l) => `<th scope="col">${l}</th>`).join('')}
    <th scope="col">Aantal mensen, afgerond <span lang="en">n, rounded</span></th><th scope="col">${value}</th>
    <th scope="col">95%-interval</th><th scope="col">Nulmeting <span lang="en">Baseline</span></th>
    <th scope="col">Doel 2030 <span lang="en">Target 2030</span></th></tr></thead>`;
}

function aimsLine(indicator: Indicator): string {
  const parts: string[] = [];
  for (const area of ['nazareth', 'pottenberg']) {
    const baseline = baselineFor(indicator, area);
    const target = targetFor(indicator, baseline);
    const base = baseline === null ? 'nog niet bekend (not known yet)' : figure(indicator, baseline);
    const aim = target.value !== null ? figure(indicator, target.value) : (target.note ?? '');
    parts.push(
      `${AREA_NAMES[area]}: nulmeting / baseline ${escapeHtml(base)}, doel 2030 / target ${escapeHtml(aim)}`,
    );
  }
  return `<p class="meta">${parts.join('<br>')}</p>`;
}

/**
 * The results page for a set of aggregates; `all` supplies the list of waves to choose from. Seen from
 * the web desk it leads back there; seen with a token it has the sign-out button of its own sign-in.
 */
export async function resultsPage(
  aggregates: Aggregates,
  all: Aggregates,
  wave?: string,
  opts: { fromDesk?: boolean } = {},
): Promise<string> {
  const indicators = loadIndicators().indicators;
  // Monthly counts are not waves to pick: they show with every wave list.
  const waveCells = all.cells.filter((c) => !c.wave.startsWith(MONTH_PREFIX));
  const waves = [...new Map(waveCells.map((c) => [c.wave, c])).values()].sort(
    (a, b) => a.wave_start.localeCompare(b.wave_start) || a.wave.localeCompare(b.wave),
  );
  const nav = `<nav aria-label="Peilingen / Waves"><strong>Peiling <span lang="en">Wave</span>:</strong>
    <a href="/results"${wave ? '' : ' aria-current="page"'}>alle <span lang="en">all</span></a>
    ${waves
      .map(
        (w) =>
          `<a href="/results?wave=${encodeURIComponent(w.wave)}"${w.wave === wave ? ' aria-current="page"' : ''}>${escapeHtml(waveLabel(w))}</a>`,
      )
      .join('\n')}</nav>`;
  const sections: string[] = [];
  for (const indicator of indicators) {
    const mine = aggregates.cells.filter((c) => c.indicator === indicator.code);
    const cells = mine.filter((c) => c.measure === cellMeasure(indicator));
    const main = cells.filter((c) => c.level === 'total' || c.level === 'area');
    const ages = cells.filter((c) => c.level === 'age_group' || c.level === 'area_age_group');
    const chart =
      main.length > 0
        ? `<figure class="chart" data-indicator="${escapeHtml(indicator.code)}">${await renderSvg(indicatorSpec(indicator, cells), `chart-${indicator.code}`)}
          <figcaption id="chart-${escapeHtml(indicator.code)}">Grafiek: ${escapeHtml(indicator.label.nl)}, per peiling en per buurt. De cijfers staan in de tabel hieronder.
          <span lang="en">Chart: ${escapeHtml(indicator.label.en)}, per wave and area. The figures are in the table below.</span>
          Staaf: uitslag per buurt met 95%-interval (streepje). Stippellijn: nulmeting. Zwarte lijn: doel 2030. Grijs: verborgen.
          <span lang="en">Bar: result per area with 95% interval (line). Dashed: baseline. Black: 2030 target. Grey: hidden.</span></figcaption></figure>`
        : '<p>Nog geen antwoorden. <span lang="en">No answers yet.</span></p>';
    const lead = ['Peiling <span lang="en">Wave</span>', 'Buurt <span lang="en">Area</span>'];
    const table =
      main.length > 0
        ? `<table>${tableHead(indicator, lead)}<tbody>${main
            .map((c) => cellRow(indicator, c, [waveLabel(c), AREA_NAMES[c.area] ?? c.area]))
            .join('\n')}</tbody></table>`
        : '';
    const ageTable =
      ages.length > 0
        ? `<details><summary>Per leeftijdsgroep <span lang="en">By age group</span></summary><table>${tableHead(
            indicator,
            [...lead, 'Leeftijd <span lang="en">Age</span>'],
          )}<tbody>${ages
            .map((c) =>
              cellRow(indicator, c, [waveLabel(c), AREA_NAMES[c.area] ?? c.area, ageName(c.age_group)]),
            )
            .join('\n')}</tbody></table></details>`
        : '';
    sections.push(`<section class="indicator" id="${escapeHtml(indicator.code)}" data-indicator="${escapeHtml(indicator.code)}">
      <h2>${escapeHtml(indicator.label.nl)} <span lang="en">${escapeHtml(indicator.label.en)}</span></h2>
      ${aimsLine(indicator)}${chart}${table}${ageTable}${helpContext(mine)}</section>`);
  }
  const k = aggregates.min_cell;
  return page(
    'Uitslagen Straatpraat / Straatpraat results',
    `<header><h1>Uitslagen van Straatpraat <span lang="en">Straatpraat results</span></h1>
    <p>Hier zie je hoe bewoners de vragen van Straatpraat beantwoorden. Per buurt en per peiling.
    <span lang="en">How residents answer Straatpraat's questions, per area and per wave.</span></p>
    ${nav}
    <h2>Zo lees je deze pagina <span lang="en">How to read this page</span></h2>
    <ul>
      <li>Het aantal mensen (n) telt iedereen die een echt antwoord gaf. "Weet ik niet" en overgeslagen tellen niet mee.
        <span lang="en">n counts everyone who gave a real answer; "don't know" and skipped answers are left out.</span></li>
      <li>Het 95%-interval laat zien hoe zeker het cijfer is: hoe smaller, hoe zekerder.
        <span lang="en">The 95% interval shows how certain a figure is: the narrower, the more certain.</span></li>
      <li>Een cijfer van minder dan ${k} mensen laten we niet zien. Zo is niemand te herkennen.
        We verbergen ook cijfers waarmee je een verborgen cijfer kunt uitrekenen.
        <span lang="en">Figures of fewer than ${k} people are hidden so nobody can be recognised, and so are figures that would let anyone work a hidden one out.</span></li>
      <li>Aantallen ronden we af op 5. Percentages zijn hele procenten, cijfers hebben één decimaal.
        <span lang="en">Numbers of people are rounded to 5, shares to whole percents, marks to one decimal.</span></li>
      ${
        aggregates.settled_only
          ? `<li>Je ziet peilingen pas als ze gesloten zijn. Aanmeldvragen zie je per afgelopen maand.
        <span lang="en">Waves show once they are closed; joining questions per month, once the month is over.</span></li>`
          : ''
      }
    </ul></header>
    <main>${sections.join('\n')}</main>
    <footer><p>Gemaakt op <span lang="en">Made on</span> ${escapeHtml(aggregates.generated_at.slice(0, 16).replace('T', ' '))} UTC.</p>
    ${
      opts.fromDesk
        ? '<p><a href="/desk">Terug naar het bureau <span lang="en">Back to the desk</span></a></p>'
        : '<form method="post" action="/results/logout"><button type="submit">Uitloggen <span lang="en">Sign out</span></button></form>'
    }</footer>`,
  );
}
