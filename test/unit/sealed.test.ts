import { describe, expect, it } from 'vitest';
import { answerWeek } from '../../src/engine/engine.js';
import { ExportLimiter } from '../../src/export/limiter.js';
import { KEY_ID, Sealer } from '../../src/privacy/sealed.js';

const sealer = new Sealer(Buffer.from('a-data-key-of-at-least-32-characters!!', 'utf8'));

describe('sealed values', () => {
  it('open to what was sealed, and show nothing of it', () => {
    const text = 'Bel me op 06-12345678, ik woon aan de Kastanjelaan 12';
    const sealed = sealer.seal(text, 'help_messages.text');
    expect(sealed[0]).toBe(KEY_ID);
    expect(sealed.includes(Buffer.from('Kastanjelaan'))).toBe(false);
    expect(sealer.open(sealed, 'help_messages.text')).toBe(text);
    // A fresh nonce each time: equal texts do not give equal values (no joins on ciphertext).
    expect(sealer.seal(text, 'help_messages.text').equals(sealed)).toBe(false);
  });

  it('do not open in another column, under another key, or when changed', () => {
    const sealed = sealer.seal('41-65', 'residents.age_group');
    expect(() => sealer.open(sealed, 'message_log.body')).toThrow();
    const other = new Sealer(Buffer.from('another-data-key-of-32-characters-or-more', 'utf8'));
    expect(() => other.open(sealed, 'residents.age_group')).toThrow();
    const changed = Buffer.from(sealed);
    changed[changed.length - 1]! ^= 1;
    expect(() => sealer.open(changed, 'residents.age_group')).toThrow();
  });

  it('read values stored before sealing as the plain text they are', () => {
    expect(sealer.open(Buffer.from('\u0000oud bericht'), 'message_log.body')).toBe('oud bericht');
    expect(sealer.open(Buffer.from('27-40'), 'residents.age_group')).toBe('27-40');
  });

  it('refuse a key shorter than 32 bytes', () => {
    expect(() => new Sealer(Buffer.from('short'))).toThrow(/32 bytes/);
  });
});

describe('the day stored with an answer', () => {
  it('is the Monday of its week, within the month', () => {
    expect(answerWeek('2026-11-04')).toBe('2026-11-02'); // Wednesday → Monday
    expect(answerWeek('2026-11-02')).toBe('2026-11-02'); // Monday stays
    expect(answerWeek('2026-11-08')).toBe('2026-11-02'); // Sunday → the Monday before
    expect(answerWeek('2026-11-01')).toBe('2026-11-01'); // Sunday whose Monday is in October
    expect(answerWeek('2026-03-03')).toBe('2026-03-02');
  });
});

describe('export places', () => {
  it('allow a few per token and a few in all, and come back when given back', () => {
    const limiter = new ExportLimiter(2, 3);
    const a1 = limiter.tryAcquire('a');
    const a2 = limiter.tryAcquire('a');
    expect(a1 && a2).toBeTruthy();
    expect(limiter.tryAcquire('a')).toBeUndefined();
    const b1 = limiter.tryAcquire('b');
    expect(b1).toBeTruthy();
    expect(limiter.tryAcquire('c')).toBeUndefined();
    a1!();
    a1!(); // twice gives back one place only
    expect(limiter.running).toBe(2);
    expect(limiter.tryAcquire('c')).toBeTruthy();
    expect(limiter.tryAcquire('a')).toBeUndefined();
  });
});
