import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { HonoAdapter } from '@bull-board/hono';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Hono, MiddlewareHandler } from 'hono';
import type { Kysely } from 'kysely';
import type { TokenHolder } from '../auth/tokens.js';
import type { Database } from '../db/schema.js';
import { recordAudit } from '../desk/audit.js';
import type { Queues } from '../queue/queues.js';

/** Where the BullMQ dashboard is served. */
export const QUEUE_DASHBOARD_PATH = '/admin/queues';

export interface QueueDashboardDeps {
  queues: Queues;
  db: Kysely<Database>;
  /** Answers 401/403 unless the caller is an admin, and sets `holder`. */
  requireAdmin: MiddlewareHandler<{ Variables: { holder: TokenHolder } }>;
}

// Job data may name a resident (an address, a text): the dashboard shows its shape, not its words.
function redact(value: unknown): unknown {
  if (typeof value === 'string') return value === '' ? value : '[hidden]';
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redact(v)]));
  return value;
}

/**
 * Mounts the BullMQ dashboard (bull-board) for operators, read-only: every queue of the
 * installation with its waiting, active, delayed and failed jobs and why a job failed, with the
 * strings in job data and results hidden. Admins only (`requireAdmin` answers 401/403 before
 * bull-board runs). Nothing can be changed through it: bull-board runs in read-only mode, and every
 * request other than GET or HEAD is refused with 405 before it reaches bull-board and written to the
 * audit log (`queue-dashboard.refused`). Retrying or removing jobs is done from the command line.
 */
export function mountQueueDashboard(app: Hono, deps: QueueDashboardDeps): void {
  const board = new HonoAdapter(serveStatic);
  board.setBasePath(QUEUE_DASHBOARD_PATH);
  const adapters = deps.queues.all().map((q) => {
    const adapter = new BullMQAdapter(q, { readOnlyMode: true, allowRetries: false });
    adapter.setFormatter('data', redact);
    adapter.setFormatter('returnValue', redact);
    return adapter;
  });
  createBullBoard({
    queues: adapters,
    // @bull-board/hono brings its own copy of @bull-board/api; the two differ only in private fields.
    serverAdapter: board as unknown as Parameters<typeof createBullBoard>[0]['serverAdapter'],
    options: { uiConfig: { boardTitle: 'Straatpraat queues' } },
  });
  const readOnly: MiddlewareHandler<{ Variables: { holder: TokenHolder } }> = async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const holder = c.get('holder');
    await recordAudit(
      deps.db,
      `token:${holder.id}`,
      'queue-dashboard.refused',
      { method: c.req.method, path: c.req.path },
      new Date(),
    );
    return c.json(
      { error: 'read-only', message: 'The queue dashboard only shows the queues; it changes nothing.' },
      405,
      { allow: 'GET, HEAD' },
    );
  };
  for (const path of [QUEUE_DASHBOARD_PATH, `${QUEUE_DASHBOARD_PATH}/*`])
    app.use(path, deps.requireAdmin, readOnly);
  app.route(QUEUE_DASHBOARD_PATH, board.registerPlugin());
}
