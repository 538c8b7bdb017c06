import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { FLASH_IMAGE_MAX_BYTES, type FlashImage, prepareFlashImage } from '../../media/flash-images.js';
import { ImageError } from '../../media/images.js';

/**
 * The largest compose form with a picture: the picture the CLI takes at most, and room for the texts
 * and choices around it. A larger body is refused as it streams in, before it is read.
 */
export const COMPOSE_BODY_LIMIT = FLASH_IMAGE_MAX_BYTES + 64 * 1024;

/** How long a chosen picture waits for its flash to be sent. */
const KEPT_MS = 24 * 3_600_000;

/** Why a file is not taken as a flash's picture. */
export type ImageProblem = { kind: 'too-large'; mb: string } | { kind: 'not-an-image' };

/**
 * Checks and prepares a file from the compose form as the CLI's `--image` does (JPEG, PNG or WebP by
 * its content, at most 5 MB, metadata stripped), and keeps it for the staff member's confirmation.
 */
export async function keepComposeImage(
  db: Kysely<Database>,
  staffId: number,
  file: File,
  now: Date,
): Promise<{ id: string } | ImageProblem> {
  if (file.size > FLASH_IMAGE_MAX_BYTES) return { kind: 'too-large', mb: (file.size / 1_048_576).toFixed(1) };
  let image: FlashImage;
  try {
    image = await prepareFlashImage(Buffer.from(await file.arrayBuffer()));
  } catch (error) {
    if (error instanceof ImageError) return { kind: 'not-an-image' };
    throw error;
  }
  // Pictures chosen and never sent go after a day.
  await db
    .deleteFrom('desk_images')
    .where('created_at', '<', new Date(now.getTime() - KEPT_MS))
    .execute();
  const row = await db
    .insertInto('desk_images')
    .values({
      staff_id: staffId,
      mime_type: image.mimeType,
      size_bytes: image.bytes.length,
      bytes: image.bytes,
      created_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id };
}

/** A picture this staff member chose and has not sent yet; undefined when there is none (any more). */
export async function composeImage(
  db: Kysely<Database>,
  staffId: number,
  id: string,
): Promise<{ bytes: Buffer; mimeType: string } | undefined> {
  const row = await db
    .selectFrom('desk_images')
    .select(['bytes', 'mime_type'])
    .where('id', '=', id)
    .where('staff_id', '=', staffId)
    .executeTakeFirst();
  return row ? { bytes: row.bytes, mimeType: row.mime_type } : undefined;
}

/** Drops a chosen picture once its flash has its own copy. */
export async function dropComposeImage(db: Kysely<Database>, id: string): Promise<void> {
  await db.deleteFrom('desk_images').where('id', '=', id).execute();
}
