import { describe, expect, it } from 'vitest';
import { loadPolls } from '../../flows/polls/catalog.js';
import {
  AGE_GROUPS,
  AgeGroupSchema,
  FORMER_AGE_GROUPS,
  STORED_AGE_GROUPS,
} from '../../src/domain/resident.js';
import { codebookCsv, codebookMarkdown, codebookSps, VALUE_LABELS } from '../../src/export/codebook.js';

// The age groups changed when taking part started at 16: the codebook names the new groups, keeps the
// old codes (older rows have them) and says how they map.

describe('the codebook of age groups', () => {
  const polls = loadPolls();

  it('labels every group offered now and every former group, without recoding', () => {
    expect(AGE_GROUPS).toEqual(['tot16', '16-26', '27-40', '41-65', '65plus', 'geen']);
    for (const code of [...AGE_GROUPS, ...FORMER_AGE_GROUPS]) {
      expect(VALUE_LABELS.age_group?.[code], code).toBeDefined();
      expect(AgeGroupSchema.parse(code)).toBe(code);
    }
    expect(VALUE_LABELS.age_group?.['16-26']?.nl).toBe('16 tot en met 26');
    expect(VALUE_LABELS.age_group?.['18-26']?.en).toMatch(/former group, now 16-26/);
    expect(STORED_AGE_GROUPS).toContain('tot18');
    expect(STORED_AGE_GROUPS).not.toContain('tot16');
  });

  it('documents the mapping in the Markdown, CSV and SPSS codebooks', () => {
    const md = codebookMarkdown(polls);
    expect(md).toMatch(/\| `tot16` \| Jonger dan 16/);
    expect(md).toMatch(/\| `tot18` \| Jonger dan 18 \(oude groep/);
    expect(md).toMatch(/Nothing was\s+recoded/);
    expect(md).toMatch(/`tot16` never occurs/);
    const csv = codebookCsv(polls);
    expect(csv).toMatch(/^age_group(,)+16-26,+16 tot en met 26,16 to 26/m);
    expect(csv).toMatch(/^age_group(,)+18-26,+"18 tot en met 26 \(oude groep, nu 16-26\)"/m);
    expect(codebookSps(polls)).toMatch(/'16-26' '16 tot en met 26 \(16 to 26\)'/);
  });
});
