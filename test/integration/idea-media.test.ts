import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { CONSENT_VERSION } from '../../src/app.js';
import { AGE_GROUP } from '../../src/db/sealed-columns.js';
import { listIdeas } from '../../src/desk/ideas.js';
import { addStaff } from '../../src/desk/staff.js';
import { ideaMedia } from '../../src/media/idea-media.js';
import { seal } from '../../src/privacy/sealed.js';
import { purge, retentionOf } from '../../src/scheduler/purge.js';
import { startTestApp } from '../helpers/app.js';
import { eventually } from '../helpers/env.js';
import { FAKE_TOKEN, FakeTelegram } from '../helpers/fake-telegram.js';

// Photos and voice messages kept with ideas, on the whole app (real PostgreSQL and Redis) and a
// fake Bot API that serves the files the way Telegram does (getFile, then the file URL).

let fake: FakeTelegram;
let app: App;
let stop: () => Promise<void>;
let staffId: number;

/** A photo as a phone takes it: a JPEG with EXIF camera data and a GPS position in Maastricht. */
async function phonePhoto(): Promise<Buffer> {
  return (
    sharp({ create: { width: 64, height: 48, channels: 3, background: '#3a7' } })
      .jpeg()
      // Orientation 6: the camera was held upright, the pixels lie on their side.
      .withMetadata({ orientation: 6 })
      .withExifMerge({
        IFD0: { Make: 'PhoneCam', Model: 'Straat 1' },
        IFD3: {
          GPSLatitudeRef: 'N',
          GPSLatitude: '50/1 51/1 2/1',
          GPSLongitudeRef: 'E',
          GPSLongitude: '5/1 42/1 36/1',
        },
      })
      .toBuffer()
  );
}

beforeAll(async () => {
  fake = await new FakeTelegram().start();
  ({ app, stop } = await startTestApp({ TELEGRAM_BOT_TOKEN: FAKE_TOKEN, TELEGRAM_API_ROOT: fake.url }));
  ({
    member: { id: staffId },
  } = await addStaff(app.db, { channel: 'console', user: 'coline', role: 'wijkteam' }, 'cli', new Date()));
});
afterAll(async () => {
  await stop?.();
  await fake?.close();
});

let nextChat = 770_000_000;

/** A Telegram resident who joined, idle. */
async function joinedChat(): Promise<number> {
  const chat = ++nextChat;
  const row = await app.db
    .insertInto('residents')
    .values({
      channel: 'telegram',
      address: String(chat),
      language: 'nl',
      area: 'nazareth',
      age_group: seal('27-40', AGE_GROUP),
      consent_version: CONSENT_VERSION,
      consent_at: new Date(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await app.db
    .insertInto('conversations')
    .values({ resident_id: row.id, state: JSON.stringify({ flow: 'idle' }) })
    .execute();
  return chat;
}

/** Sends one update and waits until the bot answered it (every reply sent). */
async function send(chat: number, update: Record<string, unknown>): Promise<void> {
  const before = fake.sent(chat).length;
  fake.inject(update);
  await eventually(
    async () => {
      const rows = await app.db
        .selectFrom('outbound_messages as o')
        .innerJoin('residents as r', 'r.id', 'o.resident_id')
        .select('o.status')
        .where('r.address', '=', String(chat))
        .execute();
      const sent = fake.sent(chat).length;
      return sent > before && rows.every((r) => r.status === 'sent') && sent === rows.length;
    },
    15_000,
    'every reply',
  );
}

async function ideaOf(chat: number) {
  return await app.db
    .selectFrom('ideas as i')
    .innerJoin('residents as r', 'r.id', 'i.resident_id')
    .select(['i.id', 'i.text', 'i.theme'])
    .where('r.address', '=', String(chat))
    .executeTakeFirst();
}

async function mediaRows(ideaId: string) {
  return app.db.selectFrom('idea_media').selectAll().where('idea_id', '=', ideaId).execute();
}

describe('a photo sent with an idea', () => {
  it('reaches the wijkteam without EXIF or location, sealed in the identity store', async () => {
    const chat = await joinedChat();
    const original = await phonePhoto();
    const before = await sharp(original).metadata();
    expect(before.exif?.toString('latin1')).toContain('PhoneCam');
    expect(before.orientation).toBe(6);
    fake.addFile('AgACAgQAAxkBAAIphoto1', original, 'photos/file_1.jpg');

    await send(chat, fake.textUpdate(chat, 'IDEE'));
    await send(chat, fake.mediaUpdate(chat, 'photo', 'AgACAgQAAxkBAAIphoto1', original.length));
    expect(String(fake.sent(chat).at(-2)?.payload.text)).toMatch(/bewaar je foto bij je idee/);
    await send(chat, fake.textUpdate(chat, 'Deze stoep is kapot'));
    await send(chat, fake.textUpdate(chat, 'wonen'));

    const idea = (await eventually(() => ideaOf(chat), 10_000, 'the idea'))!;
    expect(idea).toMatchObject({ text: 'Deze stoep is kapot', theme: 'wonen' });
    const row = await eventually(
      async () => (await mediaRows(idea.id)).find((r) => r.status === 'stored'),
      20_000,
      'the photo stored',
    );
    // Fetched the way the Bot API wants: getFile, then the file URL.
    expect(fake.callsTo('getFile', true).map((c) => c.payload.file_id)).toContain('AgACAgQAAxkBAAIphoto1');
    // Stored sealed, the reference dropped once fetched.
    expect(row!.ref).toBeNull();
    expect(row!.bytes!.subarray(0, 2).equals(Buffer.from([0xff, 0xd8]))).toBe(false);
    expect(row!.bytes!.toString('latin1')).not.toContain('PhoneCam');

    const media = await ideaMedia(app.db, String(idea.id), staffId);
    expect(media).toMatchObject({ kind: 'image', mimeType: 'image/jpeg' });
    const kept = await sharp(media!.bytes).metadata();
    expect(kept.format).toBe('jpeg');
    expect(kept.exif).toBeUndefined();
    expect(kept.xmp).toBeUndefined();
    expect(kept.orientation).toBeUndefined();
    // Turned upright by its EXIF orientation (6: 90° clockwise) before the orientation went.
    expect([kept.width, kept.height]).toEqual([48, 64]);
    expect(media!.bytes.toString('latin1')).not.toContain('PhoneCam');

    // The wijkteam's list marks it.
    const { ideas } = await listIdeas(app.db);
    expect(ideas.find((i) => i.id === String(idea.id))?.media).toEqual({ kind: 'image', status: 'stored' });
    // Only the wijkteam may look: not an analyst, not someone who is no staff member.
    await expect(ideaMedia(app.db, String(idea.id), 987_654)).rejects.toThrow(/only the wijkteam/);
    const { member: analyst } = await addStaff(
      app.db,
      { channel: 'console', user: 'ana', role: 'analyst' },
      'cli',
      new Date(),
    );
    await expect(ideaMedia(app.db, String(idea.id), analyst.id)).rejects.toThrow(/only the wijkteam/);
  });

  it('keeps a photo whose caption is the idea', async () => {
    const chat = await joinedChat();
    const original = await phonePhoto();
    fake.addFile('AgACAgQAAxkBAAIcaption', original, 'photos/file_5.jpg');
    await send(chat, fake.textUpdate(chat, 'IDEE'));
    const update = fake.mediaUpdate(chat, 'photo', 'AgACAgQAAxkBAAIcaption', original.length) as {
      message: Record<string, unknown>;
    };
    update.message.caption = 'Het hek van de speeltuin is stuk';
    await send(chat, update);
    await send(chat, fake.textUpdate(chat, '4'));
    const idea = (await eventually(() => ideaOf(chat), 10_000, 'the idea'))!;
    expect(idea).toMatchObject({ text: 'Het hek van de speeltuin is stuk', theme: 'wonen' });
    await eventually(async () => (await mediaRows(idea.id))[0]?.status === 'stored', 20_000, 'stored');
    expect((await ideaMedia(app.db, String(idea.id), staffId))?.kind).toBe('image');
  });

  it('keeps a voice message as it is', async () => {
    const chat = await joinedChat();
    const voice = Buffer.concat([Buffer.from('OggS'), Buffer.alloc(2000, 7)]);
    fake.addFile('AwACAgQAAxkBAAIvoice1', voice, 'voice/file_2.oga');
    await send(chat, fake.textUpdate(chat, 'IDEE'));
    await send(chat, fake.mediaUpdate(chat, 'voice', 'AwACAgQAAxkBAAIvoice1', voice.length));
    await send(chat, fake.textUpdate(chat, 'nee'));
    await send(chat, fake.textUpdate(chat, '5'));
    const idea = (await eventually(() => ideaOf(chat), 10_000, 'the idea'))!;
    await eventually(async () => (await mediaRows(idea.id))[0]?.status === 'stored', 20_000, 'stored');
    const media = await ideaMedia(app.db, String(idea.id), staffId);
    expect(media).toEqual({ kind: 'audio', mimeType: 'audio/ogg', bytes: voice });
  });

  it('a file the platform no longer has leaves the idea without it, marked for the wijkteam', async () => {
    const chat = await joinedChat();
    await send(chat, fake.textUpdate(chat, 'IDEE'));
    await send(chat, fake.mediaUpdate(chat, 'photo', 'AgACAgQAAxkBAAIgone', 5000));
    await send(chat, fake.textUpdate(chat, 'Een bankje'));
    await send(chat, fake.textUpdate(chat, '4'));
    const idea = (await eventually(() => ideaOf(chat), 10_000, 'the idea'))!;
    await eventually(async () => (await mediaRows(idea.id))[0]?.status === 'failed', 20_000, 'failed');
    expect(await ideaMedia(app.db, String(idea.id), staffId)).toBeUndefined();
    const { ideas } = await listIdeas(app.db);
    expect(ideas.find((i) => i.id === String(idea.id))?.media).toEqual({ kind: 'image', status: 'failed' });
  });

  it('is erased with the resident (VERWIJDER)', async () => {
    const chat = await joinedChat();
    const original = await phonePhoto();
    fake.addFile('AgACAgQAAxkBAAIphoto2', original, 'photos/file_3.jpg');
    await send(chat, fake.textUpdate(chat, 'IDEE'));
    await send(chat, fake.mediaUpdate(chat, 'photo', 'AgACAgQAAxkBAAIphoto2', original.length));
    await send(chat, fake.textUpdate(chat, 'nee'));
    await send(chat, fake.textUpdate(chat, '4'));
    const idea = (await eventually(() => ideaOf(chat), 10_000, 'the idea'))!;
    await eventually(async () => (await mediaRows(idea.id))[0]?.status === 'stored', 20_000, 'stored');

    await send(chat, fake.textUpdate(chat, 'VERWIJDER'));
    fake.inject(fake.textUpdate(chat, 'ja'));
    await eventually(async () => !(await ideaOf(chat)), 15_000, 'the resident erased');
    expect(await mediaRows(idea.id)).toEqual([]);
  });

  it('goes after the message log’s retention; the idea stays', async () => {
    const chat = await joinedChat();
    const original = await phonePhoto();
    fake.addFile('AgACAgQAAxkBAAIphoto3', original, 'photos/file_4.jpg');
    await send(chat, fake.textUpdate(chat, 'IDEE'));
    await send(chat, fake.mediaUpdate(chat, 'photo', 'AgACAgQAAxkBAAIphoto3', original.length));
    await send(chat, fake.textUpdate(chat, 'Meer bomen'));
    await send(chat, fake.textUpdate(chat, '4'));
    const idea = (await eventually(() => ideaOf(chat), 10_000, 'the idea'))!;
    await eventually(async () => (await mediaRows(idea.id))[0]?.status === 'stored', 20_000, 'stored');

    const days = app.env.MESSAGE_LOG_RETENTION_DAYS;
    const early = await purge(app.db, retentionOf(app.env), new Date(Date.now() + (days - 1) * 86_400_000));
    expect(await mediaRows(idea.id)).toHaveLength(1);
    expect(early.ideaMedia).toBe(0);
    const late = await purge(app.db, retentionOf(app.env), new Date(Date.now() + (days + 1) * 86_400_000));
    expect(late.ideaMedia).toBeGreaterThanOrEqual(1);
    expect(await mediaRows(idea.id)).toEqual([]);
    expect(await ideaOf(chat)).toMatchObject({ text: 'Meer bomen' });
  });
});
