import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { HonoAdapter } from '@bull-board/hono';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Hono, MiddlewareHandler } from 'hono';
import type { Queues } from '../queue/queues.js';

/** Where the BullMQ dashboard is served. */
export const QUEUE_DASHBOARD_PATH = '/admin/queues';

/**
 * Mounts the BullMQ dashboard (bull-board) for operators: every queue of the installation, its
 * waiting, active, delayed and failed jobs, with retry. Jobs carry addresses and texts, so the page
 * and its API are for admin tokens only (`requireAdmin` answers 401/403 before bull-board runs).
 */
export function mountQueueDashboard(app: Hono, queues: Queues, requireAdmin: MiddlewareHandler): void {
  const board = new HonoAdapter(serveStatic);
  board.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({
    queues: queues.all().map((q) => new BullMQAdapter(q)),
    // @bull-board/hono brings its own copy of @bull-board/api; the two differ only in private fields.
    serverAdapter: board as unknown as Parameters<typeof createBullBoard>[0]['serverAdapter'],
    options: { uiConfig: { boardTitle: 'Straatpraat queues' } },
  });
  app.use(QUEUE_DASHBOARD_PATH, requireAdmin);
  app.use(`${QUEUE_DASHBOARD_PATH}/*`, requireAdmin);
  app.route(QUEUE_DASHBOARD_PATH, board.registerPlugin());
}
