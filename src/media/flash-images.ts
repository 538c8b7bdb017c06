import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { ImageError, imageTypeOf, stripImage } from './images.js';

/** The largest picture a flash may carry (5 MB), as the file the wijkteam gives. */
export const FLASH_IMAGE_MAX_BYTES = 5 * 1024 * 1024;

/** A flash's picture, ready to store: metadata stripped, JPEG or PNG. */
export interface FlashImage {
  bytes: Buffer;
  mimeType: 'image/jpeg' | 'image/png';
}

/**
 * Checks and prepares a flash's picture: JPEG, PNG or WebP by its content (not its name), at most
 * 5 MB; EXIF, GPS location and other metadata stripped. A WebP becomes a JPEG: WhatsApp's Cloud API
 * sends only JPEG and PNG as images. Throws `ImageError` with a line for the wijkteam.
 */
export async function prepareFlashImage(bytes: Buffer): Promise<FlashImage> {
  if (bytes.length > FLASH_IMAGE_MAX_BYTES) {
    const mb = (bytes.length / (1024 * 1024)).toFixed(1);
    throw new ImageError(
      `the picture is ${mb} MB; at most 5 MB fits (make it smaller, e.g. 1600 pixels wide)`,
    );
  }
  const type = await imageTypeOf(bytes);
  if (!type) throw new ImageError('the picture must be a JPEG, PNG or WebP file');
  const stripped = await stripImage(bytes);
  if (stripped.mimeType === 'image/webp') {
    const { default: sharp } = await import('sharp');
    return {
      bytes: await sharp(stripped.bytes).jpeg({ quality: 85, mozjpeg: true }).toBuffer(),
      mimeType: 'image/jpeg',
    };
  }
  return { bytes: stripped.bytes, mimeType: stripped.mimeType };
}

/** Stores a flash's picture, once, in the flash's transaction. */
export async function storeFlashImage(
  tx: Transaction<Database>,
  flashId: string,
  image: FlashImage,
  now: Date,
): Promise<void> {
  await tx
    .insertInto('flash_images')
    .values({
      flash_id: flashId,
      mime_type: image.mimeType,
      size_bytes: image.bytes.length,
      bytes: image.bytes,
      created_at: now,
    })
    .onConflict((oc) => oc.column('flash_id').doNothing())
    .execute();
}

/** A flash's picture by the flash's id, for `/media/flash/{id}`; undefined when there is none. */
export async function flashImage(
  db: Kysely<Database>,
  flashId: string,
): Promise<{ bytes: Buffer; mimeType: string } | undefined> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(flashId)) return undefined;
  const row = await db
    .selectFrom('flash_images')
    .select(['bytes', 'mime_type'])
    .where('flash_id', '=', flashId)
    .executeTakeFirst();
  return row ? { bytes: row.bytes, mimeType: row.mime_type } : undefined;
}
