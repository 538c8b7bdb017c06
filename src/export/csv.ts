/** Separator of a CSV file: `,` per RFC 4180, or `;` for Excel with Dutch regional settings. */
export type Delimiter = ',' | ';';

/** The byte order mark that makes Excel read a CSV file as UTF-8. */
export const BOM = '\uFEFF';

/**
 * What a spreadsheet opening a CSV file reads as the start of a formula (`=HYPERLINK(…)`, `@SUM(…)`,
 * `-2+3`, a tab or carriage return before one): OWASP's list for CSV injection.
 */
const FORMULA_START = /^[-=+@\t\r]/;

/**
 * A text cell that Excel and LibreOffice show as text, never run: a leading `'` when it starts like a
 * formula (OWASP's advice). Numbers are never passed here, so a negative number stays a number.
 */
export function spreadsheetText(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/**
 * The same rule in SQL, for a text column of an export that PostgreSQL writes itself (COPY). `column`
 * is an SQL expression of type text that we wrote, never input. The first character's code (`-` 45,
 * `=` 61, `+` 43, `@` 64, tab 9, carriage return 13) is compared rather than matched with a regular
 * expression: on 1,000,000 rows of ten text columns the regular expressions took about a third of
 * the export's time.
 */
export function spreadsheetTextSql(column: string): string {
  return `case when ascii(${column}) in (45, 61, 43, 64, 9, 13) then '''' || ${column} else ${column} end`;
}

/**
 * One CSV field per RFC 4180: quoted when it holds the separator, a quote or a line break. Text that
 * starts like a formula gets a leading `'`; numbers and booleans are written as they are.
 */
export function csvField(value: string | number | boolean | null | undefined, delimiter: Delimiter): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? spreadsheetText(value) : String(value);
  return text.includes(delimiter) || /["\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * One CSV record. Lines end in LF like PostgreSQL's COPY output of the responses export, so all our
 * CSV files look alike; every CSV reader (Excel, R, SPSS, csv-parse) accepts it.
 */
export function csvLine(
  values: readonly (string | number | boolean | null | undefined)[],
  delimiter: Delimiter,
): string {
  return `${values.map((v) => csvField(v, delimiter)).join(delimiter)}\n`;
}
