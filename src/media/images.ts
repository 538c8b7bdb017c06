import type { Sharp } from 'sharp';

/** sharp (libvips, native) is read in on first use, not when the application loads. */
const loadSharp = async () => (await import('sharp')).default;

/** The picture types a flash may carry, and what residents' photos are stored as. */
export const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type ImageType = (typeof IMAGE_TYPES)[number];

const FORMAT_TYPES: Record<string, ImageType> = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp' };

/** An image that is not one, or not of a type we take; the message says which, in one line. */
export class ImageError extends Error {
  override readonly name = 'ImageError';
}

/** The type of an image as its bytes say (not its name or what the sender claims), if we take it. */
export async function imageTypeOf(bytes: Buffer): Promise<ImageType | undefined> {
  const sharp = await loadSharp();
  try {
    const { format } = await sharp(bytes).metadata();
    return format ? FORMAT_TYPES[format] : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The image without its metadata: EXIF (camera, time, GPS location), XMP, IPTC and ICC profiles
 * go. It is decoded and encoded again (sharp keeps no metadata unless asked to), after turning it
 * upright by its EXIF orientation, which goes with the rest. JPEG, PNG and WebP keep their type;
 * anything else sharp reads (HEIC, TIFF, GIF) becomes a JPEG.
 */
export async function stripImage(bytes: Buffer): Promise<{ bytes: Buffer; mimeType: ImageType }> {
  const sharp = await loadSharp();
  let image: Sharp;
  let format: string | undefined;
  try {
    image = sharp(bytes, { failOn: 'error' });
    ({ format } = await image.metadata());
  } catch {
    throw new ImageError('not an image that can be read');
  }
  const upright = image.rotate();
  switch (format) {
    case 'png':
      return { bytes: await upright.png().toBuffer(), mimeType: 'image/png' };
    case 'webp':
      return { bytes: await upright.webp({ quality: 85 }).toBuffer(), mimeType: 'image/webp' };
    default:
      return { bytes: await upright.jpeg({ quality: 85, mozjpeg: true }).toBuffer(), mimeType: 'image/jpeg' };
  }
}
