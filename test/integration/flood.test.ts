import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTexts } from '../../flows/i18n/texts.js';
import { LOG_BODY } from '../../src/db/sealed-columns.js';
import { unseal } from '../../src/privacy/sealed.js';
import { consoleInbox, consoleMessage, startTestApp } from '../helpers/app.js';
import { eventually } from '../helpers/env.js';

let harness: Awaited<ReturnType<typeof startTestApp>>;

beforeAll(async () => {
  harness = await startTestApp();
}, 60_000);

afterAll(async () => {
  await harness?.stop();
});

describe('a resident flooding the bot', () => {
  it('is slowed down with one polite message, every message is still handled, and STOP still works', async () => {
    const { app } = harness;
    const address = 'flooder';
    // Joined, then 30 more messages in well under a minute.
    for (const text of ['hallo', '1', 'ja', '1', '3']) {
      const before = (await consoleInbox(app, address)).length;
      await app.ingress.accept(consoleMessage(address, text));
      await eventually(async () => (await consoleInbox(app, address)).length > before, 20_000, 'a reply');
    }
    for (let i = 0; i < 30; i++) await app.ingress.accept(consoleMessage(address, `nog een bericht ${i}`));
    await app.ingress.accept(consoleMessage(address, 'STOP'));

    const logged = async () =>
      (
        await sql<{
          n: number;
        }>`select count(*)::int as n from message_log m join residents r on r.id = m.resident_id
          where r.address = ${address} and m.direction = 'in'`.execute(app.db)
      ).rows[0]!.n;
    await eventually(async () => (await logged()) === 36, 30_000, 'every message handled');
    const rows = await app.db
      .selectFrom('message_log as m')
      .innerJoin('residents as r', 'r.id', 'm.resident_id')
      .select(['m.direction', 'm.body'])
      .where('r.address', '=', address)
      .orderBy('m.id')
      .execute();
    // What the bot said after each message.
    const said = new Map<string, string[]>();
    let last = '';
    for (const row of rows) {
      const body = unseal(row.body, LOG_BODY);
      if (row.direction === 'in') {
        last = body;
        said.set(last, []);
      } else said.get(last)!.push(body);
    }
    const slowDown = loadTexts().t('nl', 'flood-slow-down');
    // Five joining messages and the first fifteen others make twenty in the minute: all answered.
    for (let i = 0; i < 15; i++) expect(said.get(`nog een bericht ${i}`)!.length).toBeGreaterThan(0);
    expect(said.get('nog een bericht 15')).toEqual([slowDown]);
    for (let i = 16; i < 30; i++) expect(said.get(`nog een bericht ${i}`)).toEqual([]);
    expect(said.get('STOP')!.length).toBeGreaterThan(0);
    const resident = await app.db
      .selectFrom('residents')
      .select('status')
      .where('address', '=', address)
      .executeTakeFirstOrThrow();
    expect(resident.status).toBe('stopped');
    await eventually(
      async () => (await consoleInbox(app, address)).filter((m) => m.includes(slowDown)).length === 1,
      20_000,
      'the slow-down message delivered once',
    );
  }, 60_000);
});
