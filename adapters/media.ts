import { MediaTooLargeError } from './errors.js';

/**
 * The longest caption Telegram and WhatsApp (both channels) put under a photo. A longer text goes
 * as its own message after the photo.
 */
export const MAX_CAPTION_LENGTH = 1024;

/** Whether a text fits under a photo as its caption (counted in UTF-16 units, as the platforms do). */
export const fitsCaption = (text: string): boolean => text.length <= MAX_CAPTION_LENGTH;

/**
 * Reads a download to its end, refusing it with `MediaTooLargeError` as soon as it passes
 * `maxBytes` (or when `Content-Length` says it will), so a huge file is never held in memory.
 */
export async function readLimited(response: Response, maxBytes: number): Promise<Buffer> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => {});
    throw new MediaTooLargeError(maxBytes);
  }
  if (!response.body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let size = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new MediaTooLargeError(maxBytes);
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks);
}
