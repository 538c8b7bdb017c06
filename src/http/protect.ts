import type { Context, Hono, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';

/** Request bodies on ordinary routes (the sign-in form and the like): 16 KiB is plenty. */
export const FORM_BODY_LIMIT = 16 * 1024;

// Routes called by machines that authenticate each call with a secret header (webhooks), per app.
const machineRoutes = new WeakMap<Hono, Map<string, number>>();

/**
 * Declares a route that machines call (a webhook): it may take bodies up to `maxBodyBytes`, and it is
 * not asked for a same-origin `Origin` header, which servers do not send. Such a route must check a
 * secret header on every call itself: a browser cannot add custom headers to a cross-site form post.
 */
export function machineRoute(app: Hono, path: string, maxBodyBytes: number): void {
  const routes = machineRoutes.get(app) ?? new Map<string, number>();
  routes.set(path, maxBodyBytes);
  machineRoutes.set(app, routes);
}

// Routes that take a file from this site's own pages, per app: their body limit and their answer to a
// body past it (a form that says so next to its field).
const uploadRoutes = new WeakMap<Hono, Map<string, MiddlewareHandler>>();

/**
 * Declares a route that takes a file from a form of this site: it may take bodies up to
 * `maxBodyBytes`; a larger one is refused as it streams in, with `tooLarge`'s answer when it gives
 * one (else the usual 413). Unlike a machine route it still must come from this site's own pages.
 */
export function uploadRoute(
  app: Hono,
  path: string,
  maxBodyBytes: number,
  tooLarge?: (c: Context) => Promise<Response | undefined>,
): void {
  const routes = uploadRoutes.get(app) ?? new Map<string, MiddlewareHandler>();
  routes.set(
    path,
    bodyLimit({
      maxSize: maxBodyBytes,
      onError: async (c) => {
        const answer = (await tooLarge?.(c)) ?? tooLargeAnswer(maxBodyBytes)(c);
        // The rest of the upload is not read: the connection closes after this answer.
        answer.headers.set('connection', 'close');
        return answer;
      },
    }),
  );
  uploadRoutes.set(app, routes);
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Whether a request comes from a page of this very site: its `Origin` (or, when a browser leaves it
 * out, its `Referer`) names the host the request was sent to. A missing or `null` origin fails.
 */
function sameOrigin(c: Context): boolean {
  const host = c.req.header('host')?.toLowerCase();
  const source = c.req.header('origin') ?? c.req.header('referer');
  if (!host || !source || source === 'null') return false;
  try {
    return new URL(source).host === host;
  } catch {
    return false;
  }
}

const tooLargeAnswer = (max: number) => (c: Context) =>
  c.json(
    { error: 'payload too large', message: `Request bodies here are at most ${max} bytes.` },
    413,
    // The rest of the upload is not read: the connection closes after this answer.
    { connection: 'close' },
  );

/**
 * Protections every route gets, installed before any route:
 * - a request that changes something (not GET, HEAD or OPTIONS) must come from this site's own pages
 *   (same-origin `Origin` or `Referer`), carry an `Authorization` header (API clients; browsers cannot
 *   add one to a cross-site request without a CORS permission this server never gives), or go to a
 *   machine route. Otherwise 403: a page elsewhere cannot make a signed-in browser post here.
 * - a body is counted as it streams in and refused with 413 as soon as it passes the route's limit
 *   (`FORM_BODY_LIMIT`, or a machine or upload route's own), whatever `Content-Length` claims; nothing larger
 *   is ever held in memory.
 */
export function protect(app: Hono): void {
  const limits = new Map<number, MiddlewareHandler>();
  const limiter = (max: number) => {
    let handler = limits.get(max);
    if (!handler) {
      handler = bodyLimit({ maxSize: max, onError: tooLargeAnswer(max) });
      limits.set(max, handler);
    }
    return handler;
  };
  app.use('*', async (c, next) => {
    const machineLimit = machineRoutes.get(app)?.get(c.req.path);
    if (
      !SAFE_METHODS.has(c.req.method) &&
      machineLimit === undefined &&
      c.req.header('authorization') === undefined &&
      !sameOrigin(c)
    ) {
      return c.json(
        {
          error: 'forbidden',
          message: 'Cross-origin request refused: the Origin header must name this site.',
        },
        403,
        { connection: 'close' },
      );
    }
    const upload = SAFE_METHODS.has(c.req.method) ? undefined : uploadRoutes.get(app)?.get(c.req.path);
    if (upload) return upload(c, next);
    return limiter(machineLimit ?? FORM_BODY_LIMIT)(c, next);
  });
}
