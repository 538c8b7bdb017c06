import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCode, identityHash, MAX_SENDS, requestCode } from '../../src/auth/sign-in-codes.js';
import { createDb } from '../../src/db/connect.js';
import type { Database } from '../../src/db/schema.js';
import { addStaff } from '../../src/desk/staff.js';
import { prepareStorage } from '../../src/storage.js';
import { type TestSetup, testSetup } from '../helpers/env.js';

// The web desk's one-time codes against the real database, with the clock set by the test: how long a
// code works, the lock after five wrong tries and when it ends, and the limit on codes sent.

let setup: TestSetup;
let db: Kysely<Database>;
let staffId: number;
const T0 = new Date('2026-03-10T09:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

beforeAll(async () => {
  setup = testSetup();
  await prepareStorage(setup.env);
  db = createDb(setup.env.DATABASE_URL, 2);
  staffId = (await addStaff(db, { channel: 'console', user: 'wt-codes', role: 'wijkteam' }, 'cli', T0)).member
    .id;
}, 60_000);
afterAll(async () => {
  await db?.destroy();
  await setup?.cleanup();
});

const send = async (identity: string, now: Date) => {
  const result = await requestCode(db, identity, staffId, now);
  if (result.kind !== 'send') throw new Error(`no code sent: ${result.kind}`);
  return result.code;
};

describe('sign-in codes', () => {
  it('work for 10 minutes, once', async () => {
    const identity = identityHash('console', 'expiry');
    const code = await send(identity, at(0));
    expect(code).toMatch(/^\d{6}$/);
    expect(await checkCode(db, identity, code, at(10.02))).toEqual({ kind: 'wrong', triesLeft: 4 });
    const fresh = await send(identity, at(11));
    expect(await checkCode(db, identity, fresh, at(20))).toEqual({ kind: 'ok', staffId });
    expect((await checkCode(db, identity, fresh, at(20.1))).kind).toBe('wrong');
  });

  it('are replaced by a new one, and a new one does not reset the wrong tries', async () => {
    const identity = identityHash('console', 'replaced');
    const first = await send(identity, at(0));
    const wrong = first === '000000' ? '111111' : '000000';
    for (let i = 0; i < 3; i++) await checkCode(db, identity, wrong, at(1));
    const second = await send(identity, at(2));
    expect((await checkCode(db, identity, first === second ? wrong : first, at(3))).kind).toBe('wrong');
    // That was the fourth wrong try: the fifth locks, whatever code is out.
    const locked = await checkCode(db, identity, wrong, at(3));
    expect(locked).toEqual({ kind: 'locked', until: at(18) });
    expect(await checkCode(db, identity, second, at(4))).toEqual({ kind: 'locked', until: at(18) });
    expect(await requestCode(db, identity, staffId, at(17))).toEqual({ kind: 'locked', until: at(18) });
    // After 15 minutes a new code works, with a fresh count.
    const after = await send(identity, at(18.5));
    expect(await checkCode(db, identity, wrong === after ? '222222' : wrong, at(19))).toEqual({
      kind: 'wrong',
      triesLeft: 4,
    });
    expect(await checkCode(db, identity, after, at(19))).toEqual({ kind: 'ok', staffId });
  });

  it(`go out at most ${MAX_SENDS} times per 15 minutes`, async () => {
    const identity = identityHash('console', 'flood');
    for (let i = 0; i < MAX_SENDS; i++) await send(identity, at(i));
    expect(await requestCode(db, identity, staffId, at(MAX_SENDS))).toEqual({ kind: 'quiet' });
    expect((await requestCode(db, identity, staffId, at(16))).kind).toBe('send');
  });

  it('store no code, and lock alike, for an identity that is not staff', async () => {
    const identity = identityHash('console', 'stranger');
    expect(await requestCode(db, identity, undefined, at(0))).toEqual({ kind: 'quiet' });
    const row = await db
      .selectFrom('desk_sign_in')
      .selectAll()
      .where('identity_hash', '=', identity)
      .executeTakeFirstOrThrow();
    expect(row.code_hash).toBeNull();
    expect(row.staff_id).toBeNull();
    const tries = [];
    for (let i = 0; i < 5; i++) tries.push((await checkCode(db, identity, '123456', at(1))).kind);
    expect(tries).toEqual(['wrong', 'wrong', 'wrong', 'wrong', 'locked']);
    // Nothing readable about who asked is stored.
    const all = JSON.stringify(await db.selectFrom('desk_sign_in').selectAll().execute());
    expect(all).not.toContain('stranger');
  });
});
