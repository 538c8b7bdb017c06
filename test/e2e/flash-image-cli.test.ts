import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, CONSENT_VERSION, prepareStorage, startApp } from '../../src/app.js';
import { createLogger } from '../../src/log.js';
import { consoleInbox } from '../helpers/app.js';
import { runCli } from '../helpers/cli.js';
import { eventually, type TestSetup, testSetup } from '../helpers/env.js';

// `straatpraat flash send --image FILE` as the wijkteam runs it.

let setup: TestSetup;
let app: App;
let dir: string;

beforeAll(async () => {
  setup = testSetup({ QUIET_HOURS_START: '00:00', QUIET_HOURS_END: '00:00' });
  await prepareStorage(setup.env);
  app = await startApp({ env: setup.env, log: createLogger('silent'), role: 'all', http: false });
  await app.db
    .insertInto('residents')
    .values({
      channel: 'console',
      address: 'cli-flyer',
      area: 'nazareth',
      language: 'nl',
      consent_version: CONSENT_VERSION,
      consent_at: new Date(),
    })
    .execute();
  dir = mkdtempSync(join(tmpdir(), 'straatpraat-flyer-'));
});
afterAll(async () => {
  await app.stop();
  await setup.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

const cli = (...args: string[]) => runCli(args, setup.vars, '', 60_000);
const file = (name: string, bytes: Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
};

describe('flash send --image', () => {
  it('sends a WebP flyer: stored once as a JPEG without metadata, the console gets the link', async () => {
    const webp = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#09f' } })
      .webp()
      .withExifMerge({ IFD0: { Make: 'FlyerCam' } })
      .toBuffer();
    const sent = await cli(
      'flash',
      'send',
      '--text-nl',
      'Buurtfeest!',
      '--image',
      file('flyer.webp', webp),
      '--json',
    );
    expect(sent.stderr).toBe('');
    expect(sent.code).toBe(0);
    const { id } = JSON.parse(sent.stdout) as { id: string };
    const image = await app.db
      .selectFrom('flash_images')
      .selectAll()
      .where('flash_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(image.mime_type).toBe('image/jpeg');
    const meta = await sharp(image.bytes).metadata();
    expect(meta.format).toBe('jpeg');
    expect(meta.exif).toBeUndefined();
    const inbox = await eventually(
      async () => (await consoleInbox(app, 'cli-flyer')).find((m) => m.startsWith('Buurtfeest!')),
      15_000,
      'the flash on the console',
    );
    expect(inbox).toMatch(new RegExp(`\\[afbeelding: http://\\S+/media/flash/${id}\\]$`));
  });

  it.each([
    [
      'a file that is not there',
      () => join(dir, 'missing.jpg'),
      /cannot read --image .*missing\.jpg: no such file/,
    ],
    [
      'a text file',
      () => file('notes.jpg', Buffer.from('dit is geen plaatje')),
      /must be a JPEG, PNG or WebP file/,
    ],
    [
      'a GIF',
      () => file('anim.gif', Buffer.from('R0lGODlhAQABAAAAACw=', 'base64')),
      /must be a JPEG, PNG or WebP file/,
    ],
    [
      'a picture over 5 MB',
      () => file('huge.png', Buffer.alloc(5 * 1024 * 1024 + 1)),
      /5\.0 MB; at most 5 MB fits/,
    ],
  ])('refuses %s with one line and exit code 2, storing nothing', async (_what, path, message) => {
    const before = await app.db.selectFrom('flashes').select('id').execute();
    const refused = await cli('flash', 'send', '--text-nl', 'Niet verstuurd', '--image', path());
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(message);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(await app.db.selectFrom('flashes').select('id').execute()).toHaveLength(before.length);
  });
});
