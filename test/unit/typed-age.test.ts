import { describe, expect, it } from 'vitest';
import { ageGroupOfTypedAge } from '../../flows/asks.js';

const typed = (text: string) => ageGroupOfTypedAge({ kind: 'text', text });

describe('a typed age', () => {
  it.each([
    ['7', 'tot16'],
    ['14', 'tot16'],
    ['15 jaar', 'tot16'],
    ['ik ben 14', 'tot16'],
    ["I'm 15", 'tot16'],
    ['veertien', 'tot16'],
    ['ik ben vijftien jaar', 'tot16'],
    ['fourteen years old', 'tot16'],
    ['16', '16-26'],
    ['17 jaar oud', '16-26'],
    ['26', '16-26'],
    ['27', '27-40'],
    ['40', '27-40'],
    ['41', '41-65'],
    ['65', '41-65'],
    ['66', '65plus'],
  ])('"%s" is the group %s', (text, group) => {
    expect(typed(text)).toBe(group);
  });

  it.each(['1', '6', '121', 'zes', 'hallo', '14 of 15'])(
    '"%s" is not an age (an option number, or not read)',
    (text) => {
      expect(typed(text)).toBeUndefined();
    },
  );
});
