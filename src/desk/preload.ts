import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { type DeskLoad, deskLoads, IDEAS_PAGE, mayBeStaff } from '../../flows/desk/loads.js';
import type { AudienceCounts, AudienceGroup, DeskData, StaffContext } from '../../flows/desk/types.js';
import type { Poll } from '../../flows/polls/schema.js';
import { eligible } from '../broadcast/audience.js';
import { correctionTarget } from '../broadcast/corrections.js';
import type { Database } from '../db/schema.js';
import type { ChannelName, InboundPayload } from '../domain/messages.js';
import { helpRequestView, openHelpRequests, ownOpenHelpRequest } from './help-requests.js';
import { ideaView, listIdeas } from './ideas.js';
import { deskResults, deskWaveResults } from './results.js';
import { findStaff } from './staff.js';

/** SUPPRESSION_MIN_CELL's default, when the desk configuration does not say. */
const DEFAULT_MIN_CELL = 10;

/** What the engine adds to a flow's context for the desk. */
export interface DeskPreload {
  staff?: StaffContext;
  desk?: DeskData;
  newId?: string;
}

/**
 * Loads what the desk flows will read for this message, deciding from the message and stored state
 * alone (flows/desk/loads.ts): nothing at all for an ordinary resident message, one indexed staff
 * lookup for a slash command or a desk dialog, and the data a staff command shows.
 */
export async function deskContext(
  db: Kysely<Database>,
  args: {
    channel: ChannelName;
    address: string;
    residentId: string;
    isNew: boolean;
    state: unknown;
    payload: InboundPayload;
    now: Date;
    /** For `/results WAVE`: the polls and SUPPRESSION_MIN_CELL. */
    polls?: ReadonlyMap<string, Poll>;
    /** One version of a poll: a wave's results show the version it was launched with. */
    pollVersion?: (poll: string, version: number) => Poll | undefined;
    minCell?: number;
  },
): Promise<DeskPreload> {
  const staff = mayBeStaff(args.state, args.payload)
    ? await findStaff(db, args.channel, args.address)
    : undefined;
  const loads = deskLoads(args.state, args.payload, staff).filter(
    (l) => !(args.isNew && l.kind === 'ownHelpRequest'),
  );
  const out: DeskPreload = staff ? { staff, newId: randomUUID() } : {};
  if (loads.length === 0) return out;
  const desk: DeskData = {};
  for (const load of loads) await loadInto(db, desk, load, args);
  return { ...out, desk };
}

async function loadInto(
  db: Kysely<Database>,
  desk: DeskData,
  load: DeskLoad,
  args: {
    residentId: string;
    now: Date;
    polls?: ReadonlyMap<string, Poll>;
    pollVersion?: (poll: string, version: number) => Poll | undefined;
    minCell?: number;
  },
): Promise<void> {
  const { residentId, now } = args;
  switch (load.kind) {
    case 'helpRequests':
      desk.helpRequests = await openHelpRequests(db);
      return;
    case 'helpRequest':
      desk.helpRequest = (await helpRequestView(db, load.id, load.messages)) ?? null;
      return;
    case 'ideas': {
      const page = await listIdeas(
        db,
        {
          ...(load.status && { status: load.status }),
          ...(load.area && { area: load.area }),
          ...(load.after && { after: load.after }),
        },
        IDEAS_PAGE,
      );
      desk.ideas = page.ideas;
      desk.ideasMore = page.more;
      return;
    }
    case 'idea':
      desk.idea = (await ideaView(db, load.id)) ?? null;
      return;
    case 'audience':
      desk.audience = await audienceCounts(db);
      return;
    case 'results':
      desk.results = await deskResults(db, now);
      return;
    case 'waveResults':
      desk.waveResults = await deskWaveResults(db, load.wave, {
        includeRunning: load.includeRunning,
        minCell: args.minCell ?? DEFAULT_MIN_CELL,
        polls: args.polls ?? new Map(),
        ...(args.pollVersion && { pollVersion: args.pollVersion }),
      });
      return;
    case 'ownHelpRequest':
      desk.ownHelpRequest = await ownOpenHelpRequest(db, residentId);
      return;
    case 'correction':
      desk.correction = (await correctionTarget(db, load.id, now)) ?? null;
      return;
  }
}

/**
 * Residents a flash (news) and a poll invitation would reach now, per area, and per area, language
 * and channel (for a flash to some languages or channels only), in one pass.
 */
async function audienceCounts(
  db: Kysely<Database>,
): Promise<{ news: AudienceCounts; polls: AudienceCounts; groups: AudienceGroup[] }> {
  const { rows } = await sql<AudienceGroup>`
    select case when r.area in ('nazareth', 'pottenberg') then r.area else 'other' end as area,
           coalesce(r.language, 'nl') as language,
           r.channel,
           count(*) filter (where not r.news_opt_out)::int as news,
           count(*)::int as polls
    from residents r where ${eligible({}, false)}
    group by 1, 2, 3`.execute(db);
  const counts = (key: 'news' | 'polls'): AudienceCounts => {
    const of = (area: string) => rows.filter((r) => r.area === area).reduce((n, r) => n + r[key], 0);
    return { nazareth: of('nazareth'), pottenberg: of('pottenberg'), other: of('other') };
  };
  return { news: counts('news'), polls: counts('polls'), groups: rows };
}
