import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { ARTIFACTS } from '../helpers/axe.js';
import { ROOT } from '../helpers/cli.js';

// Copies the desk screenshots the browser tests make (test-artifacts/desk-*-360.png) into docs/images/
// for docs/wijkteam.md: at most 360 px wide, as a palette PNG, each under MAX_BYTES.
// Run the desk tests first, then: node --import tsx test/tools/docs-images.ts

/** The screenshots the walkthrough shows. */
export const DOC_IMAGES = [
  'desk-sign-in-360',
  'desk-code-360',
  'desk-inbox-360',
  'desk-request-360',
  'desk-flash-compose-360',
  'desk-flash-preview-360',
  'desk-flash-report-360',
  'desk-wave-results-360',
  'desk-overview-360',
  'desk-session-360',
] as const;

const MAX_BYTES = 60_000;
const OUT = join(ROOT, 'docs', 'images');

async function shrink(name: string): Promise<number> {
  const input = join(ARTIFACTS, `${name}.png`);
  if (!existsSync(input)) throw new Error(`${input} is missing: run the desk tests first`);
  // Fewer colours until it fits; text stays sharp with 16.
  for (const colours of [128, 64, 32, 16]) {
    const png = await sharp(input)
      .resize({ width: 360, withoutEnlargement: true })
      .png({ palette: true, colours, compressionLevel: 9, effort: 10 })
      .toBuffer();
    if (png.length < MAX_BYTES) {
      writeFileSync(join(OUT, `${name.replace(/-360$/, '')}.png`), png);
      return png.length;
    }
  }
  throw new Error(`${name} stays over ${MAX_BYTES} bytes even with 16 colours`);
}

mkdirSync(OUT, { recursive: true });
for (const name of DOC_IMAGES) {
  const bytes = await shrink(name);
  console.log(`docs/images/${name.replace(/-360$/, '')}.png  ${Math.round(bytes / 1000)} kB`);
}
