import { describe, expect, it } from 'vitest';
import { FlashTextSchema } from '../../src/broadcast/flashes.js';
import { LocalizedSchema } from '../../src/domain/language.js';

// What the wijkteam writes for residents: Dutch required, every resident language optional, a code that
// is no resident language refused with a message that names it.

describe('the text of a flash', () => {
  it('takes Dutch with any resident language', () => {
    const text = {
      nl: 'Zaterdag is de markt.',
      ar: 'السوق يوم السبت.',
      tr: 'Cumartesi pazar var.',
      pl: 'W sobotę targ.',
    };
    expect(FlashTextSchema.parse(text)).toEqual(text);
  });

  it('needs Dutch', () => {
    const parsed = FlashTextSchema.safeParse({ ar: 'السوق يوم السبت.' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['nl']);
  });

  it('refuses a code that is no resident language, naming it and the languages there are', () => {
    for (const schema of [FlashTextSchema, LocalizedSchema]) {
      const parsed = schema.safeParse({ nl: 'Hallo', xx: 'hallo' });
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues[0]?.path).toEqual(['xx']);
      expect(parsed.error?.issues[0]?.message).toContain('"xx"');
    }
    expect(FlashTextSchema.safeParse({ nl: 'Hallo', xx: 'hallo' }).error?.issues[0]?.message).toBe(
      '"xx" is no resident language (these are: nl, en, ar, pl, tr)',
    );
  });

  it('refuses an empty text in a language rather than sending nothing', () => {
    const parsed = FlashTextSchema.safeParse({ nl: 'Hallo', tr: '  ' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['tr']);
  });
});
