import { ANSWER_CODES, FOLLOW_UP_SUFFIX } from '../../flows/poll.js';
import { optionsFor } from '../../flows/polls/options.js';
import type { Poll, Question } from '../../flows/polls/schema.js';
import { LANGUAGES, languageInfo } from '../domain/language.js';
import type { AggregateCell } from './aggregates.js';
import { BOM, csvLine, type Delimiter } from './csv.js';
import { type Indicator, loadIndicators } from './indicators.js';
import { RESPONSE_COLUMNS } from './responses.js';
import { suppressionNote } from './suppression.js';

/** Dutch and English text. */
export interface Bilingual {
  nl: string;
  en: string;
}

/** Codes that never count in n: they say the resident gave no usable answer. */
export const NOT_VALID_CODES: readonly string[] = [
  ANSWER_CODES.dontKnow,
  ANSWER_CODES.skipped,
  ANSWER_CODES.invalid,
];

const SPECIAL_LABELS: Record<string, Bilingual> = {
  [ANSWER_CODES.dontKnow]: { nl: 'Weet ik niet', en: "Don't know" },
  [ANSWER_CODES.skipped]: { nl: 'Overgeslagen', en: 'Skipped' },
  [ANSWER_CODES.invalid]: { nl: 'Antwoord niet te begrijpen', en: 'Answer not understood' },
};

/** What each column of the responses export holds. */
export const VARIABLE_LABELS: Record<(typeof RESPONSE_COLUMNS)[number], Bilingual> = {
  respondent: {
    nl: 'Respondent: pseudoniem, per export opnieuw versleuteld (niet te koppelen tussen exports)',
    en: 'Respondent: pseudonym, re-keyed per export (exports cannot be joined)',
  },
  wave: {
    nl: 'Peilingronde (id); leeg = vragen bij aanmelding (onboarding)',
    en: 'Wave (id); empty = questions asked when joining (onboarding)',
  },
  poll: { nl: 'Peiling', en: 'Poll' },
  poll_version: {
    nl: 'Versie van de peiling waaronder het antwoord gegeven is (zie de vragen per versie)',
    en: 'Version of the poll the answer was given under (see the questions per version)',
  },
  question: {
    nl: `Vraag binnen de peiling; ${FOLLOW_UP_SUFFIX} = toelichting op de vraag`,
    en: `Question within the poll; ${FOLLOW_UP_SUFFIX} = explanation of the answer`,
  },
  indicator: { nl: 'Indicator van de monitor', en: 'Monitor indicator' },
  area: { nl: 'Buurt', en: 'Neighbourhood' },
  age_group: { nl: 'Leeftijdsgroep', en: 'Age group' },
  language: { nl: 'Taal van het gesprek', en: 'Language of the conversation' },
  channel: {
    nl: 'Kanaal; leeg sinds het niet meer bewaard wordt (het maakte bewoners herkenbaar)',
    en: 'Channel; empty since it is no longer stored (it made residents recognisable)',
  },
  answered_on: {
    nl: 'Week van het antwoord: de maandag, of de 1e van de maand als die maandag in de maand ervoor valt (JJJJ-MM-DD)',
    en: 'Week of the answer: its Monday, or the 1st of the month when that Monday falls in the month before (YYYY-MM-DD)',
  },
  answer_code: { nl: 'Antwoordcode (zie per vraag)', en: 'Answer code (see per question)' },
  answer_number: {
    nl: 'Getal van het antwoord (schaal 1-5, cijfer 1-10)',
    en: 'Number of the answer (scale 1-5, mark 1-10)',
  },
  text: {
    nl: "Vrije tekst, geschoond (persoonsgegevens vervangen door [telefoon], [naam] enz.); in CSV een ' voor tekst die met = + - @ begint",
    en: "Free text, scrubbed (personal data replaced by [telefoon], [naam] etc.); in CSV a ' before text that starts with = + - @",
  },
};

/** Value labels of the columns with a fixed set of codes. */
export const VALUE_LABELS: Partial<Record<(typeof RESPONSE_COLUMNS)[number], Record<string, Bilingual>>> = {
  area: {
    nazareth: { nl: 'Nazareth', en: 'Nazareth' },
    pottenberg: { nl: 'Pottenberg', en: 'Pottenberg' },
    elders: { nl: 'Elders in Maastricht', en: 'Elsewhere in Maastricht' },
    geen: { nl: 'Zeg ik liever niet', en: 'Rather not say' },
  },
  // Taking part starts at 16 since the groups changed; the old codes stay on the rows that have them.
  age_group: {
    tot16: {
      nl: 'Jonger dan 16: komt nooit voor (wie dit kiest, wordt gewist)',
      en: 'Under 16: never occurs (whoever chooses it is erased)',
    },
    '16-26': { nl: '16 tot en met 26', en: '16 to 26' },
    tot18: {
      nl: 'Jonger dan 18 (oude groep, niet meer te kiezen)',
      en: 'Under 18 (former group, no longer offered)',
    },
    '18-26': {
      nl: '18 tot en met 26 (oude groep, nu 16-26)',
      en: '18 to 26 (former group, now 16-26)',
    },
    '27-40': { nl: '27 tot en met 40', en: '27 to 40' },
    '41-65': { nl: '41 tot en met 65', en: '41 to 65' },
    '65plus': { nl: 'Ouder dan 65', en: 'Over 65' },
    geen: { nl: 'Zeg ik liever niet', en: 'Rather not say' },
  },
  // Every resident language, named as in its flows/i18n/<language>/language.json.
  language: Object.fromEntries(LANGUAGES.map((l) => [l, languageInfo(l).staff])),
  channel: {
    whatsapp: { nl: 'WhatsApp', en: 'WhatsApp' },
    telegram: { nl: 'Telegram', en: 'Telegram' },
    console: { nl: 'Console (testen)', en: 'Console (testing)' },
  },
};

/** The answer codes that count as positive for a question's indicator (yes/no: `ja` unless the poll says). */
export function positiveCodes(question: Question): string[] | undefined {
  if (question.positive) return question.positive;
  return question.type === 'yesno' ? ['ja'] : undefined;
}

/** One answer code of one question. */
export interface CodebookCode {
  code: string;
  number: number | null;
  label: Bilingual;
  /** true or false for questions with a share-positive indicator; null for codes left out of n. */
  positive: boolean | null;
}

/** One question of a poll as the codebook describes it (follow-up explanations included). */
export interface CodebookQuestion {
  poll: string;
  /** The poll's version (null for a poll read from a file). */
  pollVersion: number | null;
  question: string;
  type: Question['type'];
  indicator: string | null;
  text: Bilingual;
  codes: CodebookCode[];
  /** How the question counts in aggregates ("positive = 4, 5 …"), empty without an indicator. */
  definition: Bilingual;
}

const bilingual = (t: { nl: string; en?: string | undefined }): Bilingual => ({ nl: t.nl, en: t.en ?? t.nl });

/** Polls given as a catalog (latest versions) or as a list (every version). */
export type CodebookPolls = ReadonlyMap<string, Poll> | readonly Poll[];

/** The polls in codebook order: by code, then version. */
function pollsInOrder(polls: CodebookPolls): Poll[] {
  const list = Array.isArray(polls) ? [...polls] : [...(polls as ReadonlyMap<string, Poll>).values()];
  return list.sort((a, b) => a.id.localeCompare(b.id) || (a.version ?? 0) - (b.version ?? 0));
}

/**
 * Every question of every poll (every version given) with its codes, labels and the definition used
 * by the aggregates.
 */
export function codebookQuestions(
  polls: CodebookPolls,
  indicators: readonly Indicator[] = loadIndicators().indicators,
): CodebookQuestion[] {
  const byCode = new Map(indicators.map((i) => [i.code, i]));
  const out: CodebookQuestion[] = [];
  for (const poll of pollsInOrder(polls)) {
    for (const question of poll.questions) {
      const indicator = question.indicator ? byCode.get(question.indicator) : undefined;
      const positive = indicator?.measure === 'share_positive' ? positiveCodes(question) : undefined;
      const codes: CodebookCode[] = optionsFor(question)
        .filter((o) => !NOT_VALID_CODES.includes(o.code))
        .map((o) => ({
          code: o.code,
          number: o.number ?? null,
          label: bilingual(o.label),
          positive: positive ? positive.includes(o.code) : null,
        }));
      const specials = question.type === 'text' ? [ANSWER_CODES.skipped] : NOT_VALID_CODES;
      for (const code of specials)
        codes.push({ code, number: null, label: SPECIAL_LABELS[code]!, positive: null });
      out.push({
        poll: poll.id,
        pollVersion: poll.version ?? null,
        question: question.id,
        type: question.type,
        indicator: question.indicator ?? null,
        text: bilingual(question.text),
        codes,
        definition: definitionOf(question, indicator, positive),
      });
      if (question.followUp) {
        out.push({
          poll: poll.id,
          pollVersion: poll.version ?? null,
          question: `${question.id}${FOLLOW_UP_SUFFIX}`,
          type: 'text',
          indicator: null,
          text: bilingual(question.followUp.text),
          codes: [],
          definition: { nl: '', en: '' },
        });
      }
    }
  }
  return out;
}

function definitionOf(question: Question, indicator: Indicator | undefined, positive?: string[]): Bilingual {
  const left = NOT_VALID_CODES.join(', ');
  if (!indicator) return { nl: '', en: '' };
  if (indicator.measure === 'mean') {
    return {
      nl: `Gemiddelde van answer_number per respondent; ${left} tellen niet mee`,
      en: `Mean of answer_number per respondent; ${left} are left out`,
    };
  }
  if (!positive) {
    return {
      nl: 'Geen definitie van positief in de peiling: telt niet mee in de cijfers',
      en: 'The poll defines no positive answer: left out of the aggregates',
    };
  }
  const labels = optionsFor(question).filter((o) => positive.includes(o.code));
  const list = (lang: 'nl' | 'en') =>
    labels.map((o) => `${o.code} (${o.label[lang] ?? o.label.nl})`).join(', ');
  return {
    nl: `Positief = answer_code ${list('nl')}; aandeel over alle geldige antwoorden; ${left} tellen niet mee`,
    en: `Positive = answer_code ${list('en')}; share of all valid answers; ${left} are left out`,
  };
}

/** What the `measure` column of the aggregates holds, per value. */
export const AGGREGATE_MEASURES: Record<AggregateCell['measure'], Bilingual> = {
  share_positive: {
    nl: 'Per peiling: aandeel respondenten met een positief antwoord (hele procenten)',
    en: 'Per wave: share of respondents with a positive answer (whole percents)',
  },
  mean: {
    nl: 'Per peiling: gemiddeld rapportcijfer (1-10, één decimaal)',
    en: 'Per wave: mean mark (1-10, one decimal)',
  },
  share_of_residents: {
    nl: 'deelname_ontmoetingen, per maand (month-JJJJ-MM) en buurt: n = bewoners die nieuwsflitsen krijgen (de huidige; plus wie die maand zei te komen), waarde = aandeel dat zei te komen (ja op een uitnodiging) bij minstens één activiteit die maand',
    en: 'deelname_ontmoetingen, per month (month-YYYY-MM) and area: n = residents who receive flashes (today’s, plus any who said they would come that month), value = share who said they would come (RSVP yes) to at least one activity that month',
  },
  help_answered_within_day: {
    nl: 'Context bij toegang_hulp, per maand (month-JJJJ-MM) en buurt: n = hulpvragen geopend, waarde = aandeel binnen een werkdag beantwoord; geen nulmeting of doel',
    en: 'Context for toegang_hulp, per month (month-YYYY-MM) and area: n = help requests opened, value = share answered within a working day; no baseline or target',
  },
};

/** Columns of the codebook CSV. */
export const CODEBOOK_COLUMNS = [
  'variable',
  'poll',
  'poll_version',
  'question',
  'question_type',
  'indicator',
  'question_nl',
  'question_en',
  'code',
  'number',
  'label_nl',
  'label_en',
  'positive',
  'definition_nl',
  'definition_en',
] as const;

/**
 * The codebook as one tidy CSV table: a row per export column (its label), a row per value of the
 * coded columns, and a row per answer code of every question (variable `answer_code`).
 */
export function codebookCsv(
  polls: CodebookPolls,
  options: { delimiter?: Delimiter; bom?: boolean } = {},
): string {
  const d = options.delimiter ?? ',';
  let out = (options.bom ? BOM : '') + csvLine(CODEBOOK_COLUMNS, d);
  const row = (values: Partial<Record<(typeof CODEBOOK_COLUMNS)[number], string | number | null>>) =>
    csvLine(
      CODEBOOK_COLUMNS.map((c) => values[c] ?? null),
      d,
    );
  for (const column of RESPONSE_COLUMNS) {
    const label = VARIABLE_LABELS[column];
    out += row({ variable: column, label_nl: label.nl, label_en: label.en });
    for (const [code, value] of Object.entries(VALUE_LABELS[column] ?? {}))
      out += row({ variable: column, code, label_nl: value.nl, label_en: value.en });
  }
  for (const indicator of loadIndicators().indicators)
    out += row({
      variable: 'indicator',
      code: indicator.code,
      label_nl: indicator.label.nl,
      label_en: indicator.label.en,
    });
  for (const [code, label] of Object.entries(AGGREGATE_MEASURES))
    out += row({ variable: 'measure', code, definition_nl: label.nl, definition_en: label.en });
  for (const q of codebookQuestions(polls)) {
    const base = {
      poll: q.poll,
      poll_version: q.pollVersion,
      question: q.question,
      question_type: q.type,
      indicator: q.indicator,
      question_nl: q.text.nl,
      question_en: q.text.en,
      definition_nl: q.definition.nl,
      definition_en: q.definition.en,
    };
    if (q.type === 'text')
      out += row({ ...base, variable: 'text', label_nl: 'Vrije tekst', label_en: 'Free text' });
    for (const c of q.codes)
      out += row({
        ...base,
        variable: 'answer_code',
        code: c.code,
        number: c.number,
        label_nl: c.label.nl,
        label_en: c.label.en,
        positive: c.positive === null ? null : c.positive ? 1 : 0,
      });
  }
  return out;
}

/** What the scrubber replaced in free text before it was stored. */
const SCRUBBED_TEXT = [
  '## Free text',
  '',
  'Free text (the column `text`, and the ideas export) was scrubbed before it was stored. Personal data',
  'is replaced by a placeholder: `[telefoon]` phone number, `[e-mail]` e-mail address, `[account]` social',
  'media handle (@name), `[adres]` street with house number or postcode, `[naam]` name of a person,',
  '`[datum]` date of birth, `[link]` web address, `[iban]` bank account. The scrubber misses some and',
  'blanks a few ordinary words; treat every text as possibly personal.',
];

/** How the CSV files keep a spreadsheet from running a resident's text as a formula. */
const SPREADSHEET_SAFE = [
  '## CSV files in Excel or LibreOffice',
  '',
  'In the CSV files (responses, ideas, aggregates, this codebook) a text cell that starts with `=`, `+`, `-`,',
  "`@`, a tab or a carriage return has a `'` put in front of it, so a spreadsheet shows it as text and never",
  'runs it as a formula (`=HYPERLINK(…)` typed by a resident). Numbers (`answer_number`, counts, shares) are',
  "never changed, so a negative number stays a number. Remove the leading `'` of such a text cell before",
  'analysis if you need the exact text, or use the XLSX or JSON Lines export: they hold the text exactly as',
  'stored, and their cells are plain text (never a formula).',
];

/** How the age groups changed when taking part started at 16. */
const AGE_GROUP_CHANGE = [
  'Taking part starts at 16 (under 16 a parent must consent). The groups offered changed from `tot18`,',
  '`18-26`, `27-40`, `41-65`, `65plus` to `tot16`, `16-26`, `27-40`, `41-65`, `65plus`. Nothing was',
  'recoded: answers keep the group the resident had when they answered, so `tot18` and `18-26` stay on',
  'older rows, and new rows have `16-26`. `tot16` never occurs (whoever chooses it is erased at once).',
  'Comparing over the change: `16-26` holds `18-26` plus 16- and 17-year-olds, who were in `tot18`',
  '(with anyone younger) before. `27-40`, `41-65`, `65plus` and `geen` did not change.',
];

const md = (text: string | number | null) =>
  text === null ? '' : String(text).replaceAll('|', '\\|').replaceAll('\n', ' ');

/** The codebook as Markdown: the columns, their values, how aggregates are protected, then every poll question with its codes. */
export function codebookMarkdown(polls: CodebookPolls): string {
  const lines: string[] = [
    '# Straatpraat codebook',
    '',
    'Responses export: one row per answer (`straatpraat export responses`). Labels in Dutch and English.',
    '',
    '## Variables',
    '',
    '| variable | Nederlands | English |',
    '|---|---|---|',
    ...RESPONSE_COLUMNS.map(
      (c) => `| \`${c}\` | ${md(VARIABLE_LABELS[c].nl)} | ${md(VARIABLE_LABELS[c].en)} |`,
    ),
    '',
    ...SCRUBBED_TEXT,
    '',
    ...SPREADSHEET_SAFE,
    '',
  ];
  for (const column of RESPONSE_COLUMNS) {
    const values = VALUE_LABELS[column];
    if (!values) continue;
    lines.push(`### \`${column}\``, '', '| code | Nederlands | English |', '|---|---|---|');
    for (const [code, v] of Object.entries(values)) lines.push(`| \`${code}\` | ${md(v.nl)} | ${md(v.en)} |`);
    lines.push('');
    if (column === 'age_group') lines.push(...AGE_GROUP_CHANGE, '');
  }
  lines.push('### `indicator`', '', '| code | Nederlands | English | measure |', '|---|---|---|---|');
  for (const i of loadIndicators().indicators)
    lines.push(`| \`${i.code}\` | ${md(i.label.nl)} | ${md(i.label.en)} | ${i.measure} |`);
  lines.push(
    '',
    '## Aggregates',
    '',
    `Counts per wave × indicator × area × age group (\`straatpraat export aggregates\`): ${md(suppressionNote('`SUPPRESSION_MIN_CELL` (default 10)'))}.`,
    '',
    'Two figures are counted by the bot rather than asked in a poll, per calendar month (wave `month-YYYY-MM`) and area, suppressed the same way; they come only without a poll or wave filter.',
    '',
    '| measure | Nederlands | English |',
    '|---|---|---|',
    ...Object.entries(AGGREGATE_MEASURES).map(([code, l]) => `| \`${code}\` | ${md(l.nl)} | ${md(l.en)} |`),
  );
  lines.push('', '## Questions', '');
  lines.push(
    'A poll can have several versions (`poll_version` in the responses): a new version never changes what',
    'earlier answers mean, so each version is listed with its own questions and codes.',
    '',
  );
  let poll = '';
  for (const q of codebookQuestions(polls)) {
    const heading = `${q.poll}@${q.pollVersion ?? ''}`;
    if (heading !== poll) {
      poll = heading;
      lines.push(`### Poll \`${q.poll}\`${q.pollVersion === null ? '' : `, version ${q.pollVersion}`}`, '');
    }
    lines.push(
      `#### \`${q.question}\` (${q.type})`,
      '',
      `- NL: ${md(q.text.nl)}`,
      `- EN: ${md(q.text.en)}`,
      ...(q.indicator ? [`- indicator: \`${q.indicator}\``] : []),
      ...(q.definition.en ? [`- positive / counted: ${md(q.definition.en)}`] : []),
      '',
    );
    if (q.codes.length === 0) {
      lines.push('Free text in the column `text` (scrubbed).', '');
      continue;
    }
    lines.push('| answer_code | number | Nederlands | English | positive |', '|---|---|---|---|---|');
    for (const c of q.codes)
      lines.push(
        `| \`${c.code}\` | ${md(c.number)} | ${md(c.label.nl)} | ${md(c.label.en)} | ${
          c.positive === null ? '' : c.positive ? 'yes' : 'no'
        } |`,
      );
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

// SPSS: names of the numeric variable per closed question, and the numbers of the codes that are
// not an answer (kept apart so MISSING VALUES can leave them out of every statistic).
const SPSS_SPECIAL: Record<string, number> = {
  [ANSWER_CODES.dontKnow]: 97,
  [ANSWER_CODES.skipped]: 98,
  [ANSWER_CODES.invalid]: 99,
};
const spssName = (q: CodebookQuestion) => `q_${q.poll}_${q.question}`.replaceAll('-', '_').slice(0, 64);
const spssString = (text: string, max = 120) => {
  let t = text;
  // SPSS counts label length in bytes.
  while (Buffer.byteLength(t, 'utf8') > max) t = t.slice(0, -1);
  return `'${t.replaceAll("'", "''")}'`;
};
const both = (b: Bilingual) => (b.nl === b.en ? b.nl : `${b.nl} (${b.en})`);

/** Widths used to read the responses CSV; longer free texts are cut in SPSS (never in the CSV). */
const SPSS_FORMATS: Record<(typeof RESPONSE_COLUMNS)[number], string> = {
  respondent: 'A64', // re-keyed ids are 32 hex; panel ids (base64url of the stored pseudonym) are 43 characters
  wave: 'A36',
  poll: 'A40',
  poll_version: 'F4.0',
  question: 'A40',
  indicator: 'A40',
  area: 'A12',
  age_group: 'A8',
  language: 'A2',
  channel: 'A12',
  answered_on: 'SDATE10',
  answer_code: 'A40',
  answer_number: 'F8.2',
  text: 'A1000',
};

/**
 * SPSS syntax that reads the responses CSV (GET DATA /TYPE=TXT) and applies the labels: variable
 * and value labels of the columns, then per closed question a numeric variable (`q_poll_question`)
 * with that question's value labels and 97–99 as missing, and `positive` (1/0) for share indicators.
 */
export function codebookSps(
  polls: CodebookPolls,
  options: { delimiter?: Delimiter; file?: string } = {},
): string {
  const d = options.delimiter ?? ',';
  // One numeric variable per question: the labels of each poll's latest version.
  const latest = new Map(pollsInOrder(polls).map((p) => [p.id, p]));
  const questions = codebookQuestions(latest);
  const closed = questions.filter((q) => q.type !== 'text' && q.type !== 'multi');
  const out: string[] = [
    '* Encoding: UTF-8.',
    '* Straatpraat: reads the responses export (straatpraat export responses --format csv) and labels it.',
    "* Text cells that start with = + - @ or a tab carry a leading ' in the CSV (spreadsheet safety).",
    `* Export with the same delimiter as below (${d === ';' ? '--delimiter ";"' : 'the default ,'}); set FILE to where you saved it.`,
    'SET DECIMAL=DOT.',
    'GET DATA',
    '  /TYPE=TXT',
    `  /FILE=${spssString(options.file ?? 'responses.csv', 1000)}`,
    "  /ENCODING='UTF8'",
    '  /ARRANGEMENT=DELIMITED',
    '  /DELCASE=LINE',
    '  /FIRSTCASE=2',
    `  /DELIMITERS="${d}"`,
    `  /QUALIFIER='"'`,
    '  /VARIABLES=',
    ...RESPONSE_COLUMNS.map(
      (c, i) => `    ${c} ${SPSS_FORMATS[c]}${i === RESPONSE_COLUMNS.length - 1 ? '.' : ''}`,
    ),
    'CACHE.',
    'EXECUTE.',
    'DATASET NAME straatpraat WINDOW=FRONT.',
    '',
    'VARIABLE LABELS',
    RESPONSE_COLUMNS.map((c) => `  ${c} ${spssString(both(VARIABLE_LABELS[c]), 256)}`).join('\n  /'),
    '.',
    '',
    'VALUE LABELS',
  ];
  const sets: string[] = [];
  for (const column of RESPONSE_COLUMNS) {
    const values = VALUE_LABELS[column];
    if (values)
      sets.push(
        `  ${column}\n${Object.entries(values)
          .map(([code, v]) => `    ${spssString(code)} ${spssString(both(v))}`)
          .join('\n')}`,
      );
  }
  sets.push(
    `  indicator\n${loadIndicators()
      .indicators.map((i) => `    ${spssString(i.code)} ${spssString(both(i.label))}`)
      .join('\n')}`,
  );
  sets.push(
    `  answer_code\n${NOT_VALID_CODES.map((c) => `    ${spssString(c)} ${spssString(both(SPECIAL_LABELS[c]!))}`).join('\n')}`,
  );
  out.push(sets.join('\n  /'), '.', '');

  if (closed.length > 0) {
    out.push(
      '* One numeric variable per closed question: its answer as a number, with that question’s labels.',
      `NUMERIC ${closed.map(spssName).join(' ')} (F2.0).`,
    );
    for (const q of closed) {
      const recodes = q.codes.map((c, i) => {
        const n = SPSS_SPECIAL[c.code] ?? c.number ?? i + 1;
        return `(${spssString(c.code)}=${n})`;
      });
      out.push(
        `DO IF (poll = ${spssString(q.poll)} AND question = ${spssString(q.question)}).`,
        `RECODE answer_code ${recodes.join(' ')} INTO ${spssName(q)}.`,
        'END IF.',
      );
    }
    out.push('VARIABLE LABELS');
    out.push(
      closed.map((q) => `  ${spssName(q)} ${spssString(`${q.poll}: ${both(q.text)}`, 256)}`).join('\n  /'),
      '.',
      'VALUE LABELS',
    );
    out.push(
      closed
        .map(
          (q) =>
            `  ${spssName(q)}\n${q.codes
              .map((c, i) => `    ${SPSS_SPECIAL[c.code] ?? c.number ?? i + 1} ${spssString(both(c.label))}`)
              .join('\n')}`,
        )
        .join('\n  /'),
      '.',
      `MISSING VALUES ${closed.map(spssName).join(' ')} (97 THRU 99).`,
      '',
    );
  }

  const shares = questions.filter((q) => q.codes.some((c) => c.positive !== null));
  if (shares.length > 0) {
    out.push(
      '* positive: 1 when the answer counts as positive for its indicator, 0 when not;',
      '* missing for weet_niet, overgeslagen and invalid, as in the aggregates.',
      'NUMERIC positive (F1.0).',
    );
    const notValid = NOT_VALID_CODES.map((c) => spssString(c)).join(', ');
    for (const q of shares) {
      const pos = q.codes.filter((c) => c.positive).map((c) => spssString(c.code));
      out.push(
        `IF (poll = ${spssString(q.poll)} AND question = ${spssString(q.question)} AND NOT ANY(answer_code, ${notValid})) positive = ${pos.length > 0 ? `ANY(answer_code, ${pos.join(', ')})` : '0'}.`,
      );
    }
    out.push(
      "VARIABLE LABELS positive 'Positief antwoord voor de indicator (Positive answer for the indicator)'.",
      "VALUE LABELS positive 0 'Niet positief (Not positive)' 1 'Positief (Positive)'.",
      '',
    );
  }
  out.push('EXECUTE.', '');
  return out.join('\n');
}
