/** Separator of a CSV file: `,` per RFC 4180, or `;` for Excel with Dutch regional settings. */
export type Delimiter = ',' | ';';

/** The byte order mark that makes Excel read a CSV file as UTF-8. */
export const BOM = '\uFEFF';

/** One CSV field per RFC 4180: quoted when it holds the separator, a quote or a line break. */
export function csvField(value: string | number | boolean | null | undefined, delimiter: Delimiter): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
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
