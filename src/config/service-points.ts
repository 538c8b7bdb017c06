import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { ServicePoint } from '../../flows/types.js';
import { StartupError } from '../domain/errors.js';
import type { Area } from '../domain/resident.js';
import type { Env } from './env.js';

const PointSchema = z.object({
  name: z.string().min(1, 'needs a name'),
  address: z.string().default(''),
  openingHours: z
    .object({ nl: z.string().default(''), en: z.string().default('') })
    .default({ nl: '', en: '' }),
  phone: z.string().default(''),
});
const FileSchema = z.object({
  nazareth: PointSchema,
  pottenberg: PointSchema,
});

/** The shipped file, next to the sources (and copied next to the build). */
export const DEFAULT_SERVICE_POINTS_FILE = fileURLToPath(
  new URL('../../config/service-points.json', import.meta.url),
);

/**
 * Reads the service points residents are sent to by HULP. In production every field must be filled
 * in: residents must never read a placeholder. Elsewhere empty fields are left out of the reply.
 */
export function loadServicePoints(env: Env): Partial<Record<Area, ServicePoint>> {
  const file = env.SERVICE_POINTS_FILE ?? DEFAULT_SERVICE_POINTS_FILE;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new StartupError(
      `Configuration error: SERVICE_POINTS_FILE ${file} cannot be read as JSON (${(error as Error).message}).`,
    );
  }
  const parsed = FileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new StartupError(
      `Configuration error: service points in ${file}: ${issue.path.join('.')}: ${issue.message}.`,
    );
  }
  const out: Partial<Record<Area, ServicePoint>> = {};
  for (const area of ['nazareth', 'pottenberg'] as const) {
    const p = parsed.data[area];
    if (env.NODE_ENV === 'production') {
      const missing = [
        ...(p.address ? [] : ['address']),
        ...(p.openingHours.nl ? [] : ['openingHours.nl']),
        ...(p.phone ? [] : ['phone']),
      ];
      if (missing.length > 0) {
        throw new StartupError(
          `Configuration error: the service point of ${area} in ${file} has no ${missing.join(', ')}; residents would read a placeholder. Fill it in, or point SERVICE_POINTS_FILE at a filled-in copy (docs/operations.md, "Starting with docker compose").`,
        );
      }
    }
    out[area] = {
      name: p.name,
      ...(p.address && { address: p.address }),
      ...(p.openingHours.nl && {
        openingHours: { nl: p.openingHours.nl, ...(p.openingHours.en && { en: p.openingHours.en }) },
      }),
      ...(p.phone && { phone: p.phone }),
    };
  }
  return out;
}
