import type { Hono } from 'hono';
import { html } from 'hono/html';
import { IDEA_STATUSES } from '../../../flows/desk/types.js';
import { deskResults } from '../../desk/results.js';
import { AREAS } from '../../domain/resident.js';
import type { Desk } from './index.js';
import type { Html, Tr } from './page.js';

/** Counts only: the wijkteam, admins and analysts may read them. */
const OVERVIEW_ROLES = ['wijkteam', 'admin', 'analyst'] as const;

/**
 * A count as the overview shows it: 0 and counts from the minimum up as they are, a count in
 * between as "< N" (like the monitor, a small group is not shown exactly).
 */
export function shownCount(tr: Tr, n: number, minCell: number): Html {
  if (n === 0 || n >= minCell) return html`${n}`;
  return html`<abbr title="${tr.t('web-overview-fewer', { min: minCell })}">&lt; ${minCell}</abbr>`;
}

const areaName = (tr: Tr, area: string) =>
  (AREAS as readonly string[]).includes(area) ? tr.t(`area-${area}`) : area;
const ideaStatus = (tr: Tr, status: string) =>
  (IDEA_STATUSES as readonly string[]).includes(status)
    ? tr.t(`desk-idea-status-${status.replace('_', '-')}`)
    : status;

/** A two-column table: a caption, what is counted, and the count. */
function countTable(
  tr: Tr,
  id: string,
  caption: string,
  label: string,
  rows: [string, number][],
  minCell: number,
) {
  if (rows.length === 0) return html`<h2 id="${id}">${caption}</h2><p>${tr.t('web-overview-none')}</p>`;
  return html`<h2 id="${id}">${caption}</h2>
    <div class="table-wrap" role="region" tabindex="0" aria-labelledby="${id}"><table>
    <thead><tr><th scope="col">${label}</th><th scope="col">${tr.t('web-overview-count')}</th></tr></thead>
    <tbody>${rows.map(([what, n]) => html`<tr><th scope="row">${what}</th><td>${shownCount(tr, n, minCell)}</td></tr>`)}</tbody>
    </table></div>`;
}

/** The overview: participants per area, joins per flyer source, help answered in time, ideas per status. */
export function mountOverview(app: Hono, desk: Desk): void {
  const minCell = desk.results?.minCell ?? 10;
  app.get('/desk/overview', async (c) => {
    const session = await desk.staff(c, OVERVIEW_ROLES);
    if (session instanceof Response) return session;
    const tr = desk.tr(c);
    const r = await deskResults(desk.db, desk.now());
    await desk.audit(session, 'overview.view');
    const title = tr.t('web-overview-title');
    const help = r.help;
    const share =
      help.opened >= minCell ? Math.round((help.answeredWithinDay / help.opened) * 100) : undefined;
    return desk.render(c, 200, {
      title,
      section: 'overview',
      session,
      body: html`<h1>${title}</h1>
        <p>${tr.t('web-overview-intro', { min: minCell })}</p>
        ${countTable(
          tr,
          'residents-title',
          tr.t('web-overview-residents'),
          tr.t('web-col-area'),
          r.residents.map((x) => [areaName(tr, x.area), x.n]),
          minCell,
        )}
        ${countTable(
          tr,
          'joins-title',
          tr.t('web-overview-joins'),
          tr.t('web-overview-source'),
          r.joins.map((x) => [x.source, x.n]),
          minCell,
        )}
        <h2 id="help-title">${tr.t('web-overview-help', { days: help.days })}</h2>
        <dl class="facts" aria-labelledby="help-title">
          <dt>${tr.t('web-overview-help-opened')}</dt><dd>${shownCount(tr, help.opened, minCell)}</dd>
          <dt>${tr.t('web-overview-help-answered')}</dt><dd>${shownCount(tr, help.answeredWithinDay, minCell)}${share !== undefined ? ` (${share}%)` : ''}</dd>
          <dt>${tr.t('web-overview-help-open')}</dt><dd>${shownCount(tr, help.open, minCell)}</dd>
        </dl>
        ${countTable(
          tr,
          'ideas-title',
          tr.t('web-overview-ideas'),
          tr.t('web-ideas-status'),
          r.ideas.map((x) => [ideaStatus(tr, x.status), x.n]),
          minCell,
        )}`,
    });
  });
}
