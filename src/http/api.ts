import type { ServerResponse } from 'node:http';
import { PassThrough, type Readable, Writable } from 'node:stream';
import type { Context, Hono, MiddlewareHandler } from 'hono';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { loadPolls } from '../../flows/polls/catalog.js';
import type { Poll } from '../../flows/polls/schema.js';
import { type ApiRole, allows, type Permission, type TokenHolder, verifyToken } from '../auth/tokens.js';
import type { Database } from '../db/schema.js';
import { recordAudit } from '../desk/audit.js';
import { partialFilterProblem } from '../export/aggregates.js';
import {
  auditDetails,
  CONTENT_TYPES,
  type Dataset,
  describeIssue,
  type ExportContext,
  ExportRequestSchema,
  exportFileName,
  type Format,
  writeExport,
} from '../export/datasets.js';
import { ExportLimiter } from '../export/limiter.js';
import type { ExportPool } from '../export/pool.js';
import { waveResults, waveResultsMethod } from '../export/wave-results.js';
import type { Logger } from '../log.js';
import { bearerToken, presentedHolder, type SessionCookie } from './auth.js';

/** What the API and the results page need from the installation. */
export interface ApiDeps {
  db: Kysely<Database>;
  /** Where exports and the results page read the monitor store: their own pool, their own role. */
  exports: ExportPool;
  /** Exports running at once: per token (EXPORT_PER_TOKEN) and in all (EXPORT_POOL_SIZE). */
  exportLimits?: { perToken: number; overall: number };
  /** A download whose client reads nothing for this long is cut off (EXPORT_STALL_MS). */
  exportStallMs?: number;
  /** SUPPRESSION_MIN_CELL. */
  minCell: number;
  log?: Logger;
  /** Poll definitions (the latest version of each); the shipped ones by default. */
  polls?: () => ReadonlyMap<string, Poll>;
  /** Every version of every poll, for the codebook; the latest only by default. */
  pollVersions?: () => readonly Poll[];
}

/** Every API route: its dataset and format, and the permission it needs. */
export const API_ROUTES: Record<string, { dataset: Dataset; format: Format; permission: Permission }> = {
  '/api/exports/responses.csv': { dataset: 'responses', format: 'csv', permission: 'responses' },
  '/api/exports/responses.xlsx': { dataset: 'responses', format: 'xlsx', permission: 'responses' },
  '/api/exports/responses.jsonl': { dataset: 'responses', format: 'jsonl', permission: 'responses' },
  '/api/exports/codebook.csv': { dataset: 'codebook', format: 'csv', permission: 'codebook' },
  '/api/exports/codebook.md': { dataset: 'codebook', format: 'md', permission: 'codebook' },
  '/api/exports/codebook.sps': { dataset: 'codebook', format: 'sps', permission: 'codebook' },
  '/api/exports/ideas.csv': { dataset: 'ideas', format: 'csv', permission: 'ideas' },
  '/api/aggregates.json': { dataset: 'aggregates', format: 'json', permission: 'aggregates' },
  '/api/aggregates.csv': { dataset: 'aggregates', format: 'csv', permission: 'aggregates' },
};

/** The results of one wave, for wijkteam and analyst tokens. */
export const WAVE_RESULTS_ROUTE = '/api/waves/{id}/results';

const flag = z
  .enum(['true', 'false', '1', '0'], { message: 'true or false' })
  .transform((v) => v === 'true' || v === '1');

/** A wave id in a path: a uuid. */
const WaveIdSchema = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'a wave id is a uuid')
  .transform((v) => v.toLowerCase());

/** Query string of every API route; unknown parameters are refused rather than silently ignored. */
export const ApiQuerySchema = z.strictObject({
  poll: z.string().optional(),
  wave: z.string().optional(),
  area: z.string().optional(),
  from: z.string().optional(),
  to: z.string().optional(),
  delimiter: z
    .enum([',', ';', 'comma', 'semicolon'], { message: ', ; comma or semicolon' })
    .transform((d) => (d === 'semicolon' || d === ';' ? ';' : ','))
    .optional(),
  bom: flag.optional(),
  panel_ids: flag.optional(),
});

// One body for every refusal of a missing or wrong token, whatever the path: an unknown route and
// an existing one look the same until the caller has a valid token.
const UNAUTHORIZED = {
  error: 'unauthorized',
  message: 'A valid API token is required: Authorization: Bearer <token> (straatpraat token create).',
};

/**
 * Guards other HTTP routes (a channel's staff pages, the queue dashboard) with the same tokens:
 * `requireRole('admin')` answers 401 without a valid bearer token or sign-in session and 403 for
 * another role; an admin passes every role. The holder is then in `c.get('holder')`.
 */
export function tokenGuard(
  db: Kysely<Database>,
  cookie: SessionCookie,
): { requireRole(role: ApiRole): MiddlewareHandler<{ Variables: { holder: TokenHolder } }> } {
  return {
    requireRole: (role) => async (c, next) => {
      const holder = await presentedHolder(c, db, cookie);
      if (!holder) return c.json(UNAUTHORIZED, 401, { 'www-authenticate': 'Bearer realm="straatpraat"' });
      if (holder.role !== role && holder.role !== 'admin') return forbidden(c, holder, 'this page');
      c.set('holder', holder);
      await next();
    },
  };
}

/** Mounts `/api/*`: exports and aggregates behind bearer tokens with roles. */
export function mountApi(app: Hono, deps: ApiDeps): void {
  let polls: ReadonlyMap<string, Poll> | undefined;
  const ctx: ExportContext = {
    pool: deps.exports,
    minCell: deps.minCell,
    polls: () => {
      if (deps.polls) return deps.polls();
      polls ??= loadPolls();
      return polls;
    },
    ...(deps.pollVersions && { pollVersions: deps.pollVersions }),
  };
  const holders = new WeakMap<Context, TokenHolder>();
  const limiter = new ExportLimiter(deps.exportLimits?.perToken ?? 2, deps.exportLimits?.overall ?? 4);

  app.use('/api/*', async (c, next) => {
    const token = bearerToken(c);
    const holder = token ? await verifyToken(deps.db, token) : undefined;
    if (!holder) {
      return c.json(UNAUTHORIZED, 401, { 'www-authenticate': 'Bearer realm="straatpraat"' });
    }
    holders.set(c, holder);
    await next();
  });

  app.get('/api/waves/:id/results', async (c) => {
    const holder = holders.get(c)!;
    if (!allows(holder.role, 'wave_results')) return forbidden(c, holder, 'wave results');
    const id = WaveIdSchema.safeParse(c.req.param('id'));
    if (!id.success) return c.json({ error: 'bad request', message: id.error.issues[0]!.message }, 400);
    const query = z.strictObject({}).safeParse(c.req.query());
    if (!query.success)
      return c.json({ error: 'bad request', message: 'this route takes no query parameters' }, 400);
    const results = await waveResults(deps.exports.db, id.data, {
      minCell: deps.minCell,
      polls: ctx.polls(),
      ...(deps.pollVersions && {
        pollVersion: (poll: string, version: number) =>
          deps.pollVersions?.().find((p) => p.id === poll && p.version === version),
      }),
      // Who cannot read the answer rows sees closed waves only: a growing wave's releases subtract.
      includeRunning: allows(holder.role, 'responses'),
    });
    if (!results) return c.json({ error: 'not found', message: `There is no wave ${id.data}.` }, 404);
    await recordAudit(deps.db, `token:${holder.id}`, 'wave.results', { wave: id.data }, new Date());
    return c.json({ ...results, method: waveResultsMethod(results.min_cell) }, 200, {
      'cache-control': 'no-store',
    });
  });

  app.get('/api/*', async (c) => {
    const route = API_ROUTES[c.req.path];
    if (!route)
      return c.json({ error: 'not found', routes: [...Object.keys(API_ROUTES), WAVE_RESULTS_ROUTE] }, 404);
    const holder = holders.get(c)!;
    if (!allows(holder.role, route.permission)) return forbidden(c, holder, route.dataset);

    const query = ApiQuerySchema.safeParse(c.req.query());
    if (!query.success) return badRequest(c, query.error.issues[0]!);
    const q = query.data;
    if (q.panel_ids && !allows(holder.role, 'panel_ids')) return forbidden(c, holder, 'panel ids');
    // Without the answer rows, aggregates come over whole waves only: differently cut releases differ by a few people.
    const cut = route.dataset === 'aggregates' && !allows(holder.role, 'responses');
    const partial = cut ? partialFilterProblem(q, holder.role) : undefined;
    if (partial) return c.json({ error: 'bad request', message: partial }, 400);
    const parsed = ExportRequestSchema.safeParse({
      dataset: route.dataset,
      format: route.format,
      poll: q.poll,
      wave: q.wave,
      area: q.area,
      from: q.from,
      to: q.to,
      delimiter: q.delimiter,
      bom: q.bom,
      panelIds: q.panel_ids,
    });
    if (!parsed.success) return badRequest(c, parsed.error.issues[0]!);
    const request = parsed.data;

    const headers = {
      'content-type': CONTENT_TYPES[request.format],
      'content-disposition': `attachment; filename="${exportFileName(request)}"`,
      'cache-control': 'no-store',
    };
    // The codebook reads no database; everything else takes a place among the exports running.
    const release = request.dataset === 'codebook' ? () => {} : limiter.tryAcquire(`token:${holder.id}`);
    if (!release) {
      return c.json(
        {
          error: 'too many exports',
          message: 'Too many exports are running at the same time; try again in a few seconds.',
        },
        429,
        { 'retry-after': String(RETRY_AFTER_SECONDS) },
      );
    }
    try {
      await recordAudit(deps.db, `token:${holder.id}`, 'export', auditDetails(request), new Date());
    } catch (error) {
      release();
      throw error;
    }
    if (request.dataset === 'aggregates' || request.dataset === 'codebook') {
      // Small and computed first, so a failure is a clean 500 instead of a cut-off download.
      const chunks: Buffer[] = [];
      const collect = new Writable({
        write(chunk: Buffer, _encoding, done) {
          chunks.push(chunk);
          done();
        },
      });
      try {
        await writeExport(request, ctx, collect, { settledOnly: cut });
      } finally {
        release();
      }
      return c.body(Buffer.concat(chunks), 200, headers);
    }
    const body = new PassThrough();
    writeExport(request, ctx, body)
      .then(
        () => body.end(),
        (error: Error) => {
          deps.log?.warn({ reason: error.message, dataset: request.dataset }, 'api export failed');
          body.destroy(error);
        },
      )
      .finally(release);
    // A client that stops reading is cut off: its export ends and gives its connection back.
    const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
    const stall = { ms: deps.exportStallMs ?? 30_000, onStall: () => outgoing?.destroy() };
    return c.body(webStream(body, stall), 200, headers);
  });
}

function forbidden(c: Context, holder: TokenHolder, what: string) {
  return c.json({ error: 'forbidden', message: `A ${holder.role} token may not read ${what}.` }, 403);
}

function badRequest(c: Context, issue: z.core.$ZodIssue) {
  const name = (field: string) => (field === 'panelIds' ? 'panel_ids' : field);
  const message =
    issue.code === 'unrecognized_keys'
      ? `unknown query parameter ${issue.keys.join(', ')}; use poll, wave, area, from, to, delimiter, bom or panel_ids`
      : describeIssue(issue, name);
  return c.json({ error: 'bad request', message }, 400);
}

/** What a refused export is told to wait, in seconds. */
const RETRY_AFTER_SECONDS = 10;

/**
 * A Node stream as a web stream that reads one chunk each time the HTTP layer asks for one, so a
 * slow client slows the export down instead of letting it pile up in memory. With `stall`, a client
 * that has not asked for the next chunk `stall.ms` after the last one (it stopped reading) ends the
 * stream, and `onStall` can drop the connection; waiting for the database does not count.
 */
export function webStream(
  readable: Readable,
  stall?: { ms: number; onStall?: () => void },
): ReadableStream<Uint8Array> {
  const chunks = readable[Symbol.asyncIterator]();
  let timer: NodeJS.Timeout | undefined;
  const stalled = () => {
    readable.destroy(new Error(`the client read nothing for ${stall?.ms} ms`));
    stall?.onStall?.();
  };
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        clearTimeout(timer);
        try {
          const { value, done } = await chunks.next();
          if (done) controller.close();
          else {
            controller.enqueue(typeof value === 'string' ? Buffer.from(value) : (value as Buffer));
            if (stall) timer = setTimeout(stalled, stall.ms);
          }
        } catch (error) {
          controller.error(error);
        }
      },
      cancel() {
        clearTimeout(timer);
        readable.destroy();
      },
    },
    { highWaterMark: 0 },
  );
}
