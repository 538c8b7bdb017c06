import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { ConsoleUsers, seedResidents, startDeskApp } from '../helpers/desk.js';
import { eventually } from '../helpers/env.js';

// The chat desk writes a flash and a session announcement in every resident language, as the web desk
// and the command line do: at the preview "ar …" adds the Arabic text. On the whole app (real
// PostgreSQL and Redis), staff and residents on the console channel; quiet hours are off.

let app: App;
let stop: () => Promise<void>;
let users: ConsoleUsers;

const STAFF = 'coline-l';
const NL = 'naz-nl-l1';
const AR = 'naz-ar-l2';
const TR = 'naz-tr-l3';

const FLASH_NL = 'Zaterdag buurtontbijt in het Trefpunt.';
const FLASH_AR = 'فطور الحي يوم السبت في Trefpunt.';
const WORDS_NL = 'Praat mee over de speeltuin.';
const WORDS_TR = 'Oyun parkı hakkında konuşun.';

beforeAll(async () => {
  ({ app, stop } = await startDeskApp([{ user: STAFF, name: 'Coline' }]));
  users = new ConsoleUsers(app);
  await seedResidents(app, [
    { address: NL, area: 'nazareth' },
    { address: AR, area: 'nazareth', language: 'ar' },
    { address: TR, area: 'nazareth', language: 'tr' },
  ]);
}, 60_000);
afterAll(async () => {
  await stop?.();
});

async function inboxWith(address: string, part: string): Promise<string[]> {
  return (await users.inbox(address)).filter((m) => m.includes(part));
}

/** Waits until each resident has the message with `part`. */
async function reachesEach(addresses: string[], part: string): Promise<void> {
  for (const address of addresses) {
    await eventually(
      async () => (await inboxWith(address, part)).length === 1,
      20_000,
      `"${part}" to reach ${address}`,
    );
  }
}

describe('the chat desk in every resident language', () => {
  it('sends a /flits with an Arabic text to Arabic residents, and the Dutch text to Turkish ones', async () => {
    const steps = await users.send(STAFF, `/flits ${FLASH_NL}`, 'sla over', '1', 'nee');
    expect(steps.join('\n')).toMatch(/taalcode/);
    const preview = (await users.send(STAFF, `ar ${FLASH_AR}`)).join('\n');
    expect(preview).toContain(FLASH_NL);
    expect(preview).toMatch(/In het Arabisch:/);
    expect(preview).toContain(FLASH_AR);
    expect(preview).not.toMatch(/In het Turks:/);
    expect((await users.send(STAFF, 'ja')).join('\n')).toMatch(/Verstuurd\. Nummer van de flits/);

    const flash = await app.db.selectFrom('flashes').select('texts').executeTakeFirstOrThrow();
    expect(flash.texts).toEqual({ nl: FLASH_NL, ar: FLASH_AR });
    await reachesEach([NL, AR, TR], 'Trefpunt');
    expect(await inboxWith(AR, FLASH_AR)).toHaveLength(1);
    expect(await inboxWith(TR, FLASH_NL)).toHaveLength(1);
    expect(await inboxWith(NL, FLASH_NL)).toHaveLength(1);
    expect(await inboxWith(NL, FLASH_AR)).toEqual([]);
  });

  it('announces a /straatpraat with more words in Turkish to Turkish residents only', async () => {
    const at = `${new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10)}T19:30`;
    await users.send(STAFF, '/straatpraat', at, 'Buurthuis De Speeltuin', 'wethouder Jansen', WORDS_NL);
    await users.send(STAFF, 'sla over', '1');
    const preview = (await users.send(STAFF, `tr ${WORDS_TR}`)).join('\n');
    expect(preview).toMatch(/In het Engels:/);
    expect(preview).toMatch(/In het Turks:/);
    expect(preview).toContain(WORDS_TR);
    expect((await users.send(STAFF, 'ja')).join('\n')).toMatch(/Aangekondigd/);
    await reachesEach([NL, AR, TR], 'De Speeltuin');
    expect(await inboxWith(TR, WORDS_TR)).toHaveLength(1);
    expect(await inboxWith(AR, WORDS_NL)).toHaveLength(1);
    expect(await inboxWith(NL, WORDS_TR)).toEqual([]);
  });
});
