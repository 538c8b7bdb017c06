import { type Job, type Queue, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { ChannelAdapter } from '../../adapters/channel.js';
import { MediaGoneError, MediaTooLargeError } from '../../adapters/errors.js';
import type { Database } from '../db/schema.js';
import { IDEA_MEDIA_BYTES, IDEA_MEDIA_REF } from '../db/sealed-columns.js';
import { IDEA_MEDIA_MAX_BYTES, type IdeaMediaKind } from '../domain/messages.js';
import type { Logger } from '../log.js';
import { dataSealer, seal, unseal } from '../privacy/sealed.js';
import { MEDIA_QUEUE } from '../queue/names.js';
import { parseJob } from '../queue/payloads.js';
import { mediaJobId } from '../queue/queues.js';
import { ImageError, stripImage } from './images.js';

// Photos and voice messages kept with ideas. The idea's transaction stores only the platform's
// reference (sealed) in an `idea_media` row and queues a media job with the row id; this worker
// fetches the file through the channel's adapter outside any transaction, strips a photo's
// metadata (EXIF, GPS location), keeps a voice message as it is, and stores the bytes sealed with
// the data key. The row goes with its idea (VERWIJDER, cascade) and after the message log's
// retention (src/scheduler/purge.ts); it never reaches the monitor schema or an export.

type Db = Kysely<Database>;

/** A media job: only the `idea_media` row id. */
const MediaJobSchema = z.object({ mediaId: z.string().regex(/^\d{1,18}$/) });

/** Queues the fetch of one `idea_media` row; the same row is queued once. */
export async function queueMediaFetch(queue: Queue, mediaId: string): Promise<void> {
  await queue.add('fetch', { mediaId }, { jobId: mediaJobId(mediaId) });
}

/** A pending row older than this without a job is queued again by the scheduler's tick. */
const REQUEUE_AFTER_MS = 5 * 60_000;

/**
 * Queues again the pending rows whose job is missing (lost when Redis was away at commit). A row
 * whose job still waits or is being retried keeps it: the job id is the same, so nothing doubles.
 */
export async function requeuePendingMedia(db: Db, queue: Queue, now: Date): Promise<number> {
  const rows = await db
    .selectFrom('idea_media')
    .select('id')
    .where('status', '=', 'pending')
    .where('created_at', '<', new Date(now.getTime() - REQUEUE_AFTER_MS))
    .orderBy('id')
    .limit(100)
    .execute();
  let queued = 0;
  for (const { id } of rows) {
    if (await queue.getJob(mediaJobId(String(id)))) continue;
    await queueMediaFetch(queue, String(id));
    queued += 1;
  }
  return queued;
}

/** What became of a media row. */
export type MediaOutcome = 'stored' | 'too_large' | 'failed' | 'gone';

/**
 * Fetches, strips and stores one `idea_media` row's file. `gone`: the row is no longer there or no
 * longer pending (the resident was erased, or a retry after it was stored). Throws when another try
 * may work (the platform is away).
 */
export async function fetchIdeaMedia(
  db: Db,
  adapters: ReadonlyMap<string, ChannelAdapter>,
  mediaId: string,
  now: () => Date = () => new Date(),
): Promise<MediaOutcome> {
  const row = await db
    .selectFrom('idea_media')
    .select(['id', 'kind', 'channel', 'ref', 'status'])
    .where('id', '=', mediaId)
    .executeTakeFirst();
  if (row?.status !== 'pending' || !row.ref) return 'gone';
  const adapter = adapters.get(row.channel);
  const settle = async (status: 'failed' | 'too_large') => {
    await db.updateTable('idea_media').set({ status, ref: null }).where('id', '=', mediaId).execute();
    return status;
  };
  if (!adapter?.fetchMedia) return settle('failed');
  let fetched: { bytes: Buffer; mimeType: string };
  try {
    fetched = await adapter.fetchMedia(unseal(row.ref, IDEA_MEDIA_REF), {
      maxBytes: IDEA_MEDIA_MAX_BYTES,
      signal: AbortSignal.timeout(60_000),
    });
  } catch (error) {
    if (error instanceof MediaTooLargeError) return settle('too_large');
    if (error instanceof MediaGoneError) return settle('failed');
    throw error;
  }
  if (fetched.bytes.length > IDEA_MEDIA_MAX_BYTES) return settle('too_large');
  let kept = { bytes: fetched.bytes, mimeType: fetched.mimeType };
  if (row.kind === 'image') {
    try {
      kept = await stripImage(fetched.bytes);
    } catch (error) {
      if (error instanceof ImageError) return settle('failed');
      throw error;
    }
  }
  await db
    .updateTable('idea_media')
    .set({
      status: 'stored',
      ref: null,
      bytes: seal(kept.bytes, IDEA_MEDIA_BYTES),
      mime_type: kept.mimeType.slice(0, 100),
      size_bytes: kept.bytes.length,
      stored_at: now(),
    })
    .where('id', '=', mediaId)
    .where('status', '=', 'pending')
    .execute();
  return 'stored';
}

/** Options of the media worker. */
export interface MediaWorkerOptions {
  connection: Redis;
  prefix: string;
  db: Db;
  adapters: readonly ChannelAdapter[];
  log: Logger;
  lockMs: number;
}

/**
 * Works the media queue: two downloads at a time per process. A failed try is retried with backoff
 * (`MEDIA_JOB_OPTIONS`); after the last one the row is marked `failed` and the idea stays without it.
 */
export class MediaWorker {
  readonly #worker: Worker;

  constructor(opts: MediaWorkerOptions) {
    const adapters = new Map(opts.adapters.map((a) => [a.name as string, a]));
    this.#worker = new Worker(
      MEDIA_QUEUE,
      async (job: Job) => {
        const { mediaId } = parseJob(MediaJobSchema, job.data, 'media');
        const outcome = await fetchIdeaMedia(opts.db, adapters, mediaId);
        opts.log.info({ mediaId, outcome }, 'idea media');
        return outcome;
      },
      { connection: opts.connection, prefix: opts.prefix, concurrency: 2, lockDuration: opts.lockMs },
    );
    this.#worker.on('failed', (job, error) => {
      if (!job) return;
      const last = error instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
      opts.log.warn({ mediaId: job.data?.mediaId, reason: error.name, last }, 'idea media fetch failed');
      if (!last) return;
      const parsed = MediaJobSchema.safeParse(job.data);
      if (parsed.success) {
        void opts.db
          .updateTable('idea_media')
          .set({ status: 'failed', ref: null })
          .where('id', '=', parsed.data.mediaId)
          .where('status', '=', 'pending')
          .execute()
          .catch(() => {});
      }
    });
    this.#worker.on('error', (error) => opts.log.error({ reason: error.message }, 'media worker error'));
  }

  async ready(): Promise<void> {
    await this.#worker.waitUntilReady();
  }

  async close(): Promise<void> {
    await this.#worker.close();
  }
}

/** A photo or voice message kept with an idea, for the wijkteam. */
export interface IdeaMedia {
  kind: IdeaMediaKind;
  mimeType: string;
  bytes: Buffer;
}

/**
 * The photo or voice message of an idea, for a staff member of the wijkteam or an admin (`staffId`)
 * — the desk and the CLI call this. Undefined when the idea has none stored (none sent, not fetched yet, refused, or
 * erased); throws when `staffId` is not a wijkteam member or admin.
 */
export async function ideaMedia(db: Db, ideaId: string, staffId: number): Promise<IdeaMedia | undefined> {
  if (!/^\d{1,18}$/.test(ideaId)) return undefined;
  const staff = await db.selectFrom('staff').select('role').where('id', '=', staffId).executeTakeFirst();
  // Ideas are the wijkteam's (and admins'); analysts read them only without authors, in exports.
  if (!staff || staff.role === 'analyst') {
    throw new Error('only the wijkteam may see what residents sent with an idea');
  }
  const row = await db
    .selectFrom('idea_media')
    .select(['kind', 'mime_type', 'bytes'])
    .where('idea_id', '=', ideaId)
    .where('status', '=', 'stored')
    .orderBy('id')
    .executeTakeFirst();
  if (!row?.bytes || !row.mime_type) return undefined;
  return {
    kind: row.kind as IdeaMediaKind,
    mimeType: row.mime_type,
    bytes: dataSealer().openBytes(row.bytes, IDEA_MEDIA_BYTES),
  };
}
