import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEnv } from '../../src/config/env.js';
import { loadServicePoints } from '../../src/config/service-points.js';
import { StartupError } from '../../src/domain/errors.js';

function fileWith(content: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'sp-points-')), 'points.json');
  writeFileSync(file, JSON.stringify(content));
  return file;
}

const complete = {
  name: "'t Trefpunt",
  address: 'Voorbeeldstraat 1, Maastricht',
  openingHours: { nl: 'ma t/m vr 9–17 uur', en: 'Mon–Fri 9am–5pm' },
  phone: '043 000 0000',
};

describe('the service points of HULP', () => {
  it('ships the names the programme uses', () => {
    const points = loadServicePoints(parseEnv({ NODE_ENV: 'development' }));
    expect(points.nazareth?.name).toBe("'t Trefpunt");
    expect(points.pottenberg?.name).toBe('De Buurtbrök');
  });

  it('leaves out empty details outside production instead of showing a placeholder', () => {
    const points = loadServicePoints(parseEnv({ NODE_ENV: 'development' }));
    expect(points.nazareth).toEqual({ name: "'t Trefpunt" });
  });

  it('refuses to start in production while a detail is missing, naming it', () => {
    const env = parseEnv({ NODE_ENV: 'production' });
    expect(() => loadServicePoints(env)).toThrow(StartupError);
    expect(() => loadServicePoints(env)).toThrow(
      /service point of nazareth .* has no address, openingHours\.nl, phone/,
    );
  });

  it('tells the operator with the shipped file how to go on', () => {
    const env = parseEnv({ NODE_ENV: 'production' });
    expect(() => loadServicePoints(env)).toThrow(
      /point SERVICE_POINTS_FILE at a filled-in copy \(docs\/operations\.md, "Starting with docker compose"\)/,
    );
  });

  it('accepts a complete file in production', () => {
    const file = fileWith({ nazareth: complete, pottenberg: { ...complete, name: 'De Buurtbrök' } });
    const points = loadServicePoints(parseEnv({ NODE_ENV: 'production', SERVICE_POINTS_FILE: file }));
    expect(points.pottenberg).toEqual({ ...complete, name: 'De Buurtbrök' });
  });

  it('names the file and the field of a malformed file', () => {
    const file = fileWith({ nazareth: complete });
    expect(() => loadServicePoints(parseEnv({ SERVICE_POINTS_FILE: file }))).toThrow(/pottenberg/);
  });
});
