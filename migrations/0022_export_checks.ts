import { type Kysely, sql } from 'kysely';

/**
 * The columns of `monitor.answers` that hold only codes (poll, question, indicator, area, age group,
 * language, channel) can never start with a character that makes a spreadsheet read a cell as a
 * formula: `-` (45), `=` (61), `+` (43), `@` (64), a tab (9) or a carriage return (13). With the
 * database guaranteeing that, the CSV export needs its formula check only on the columns residents
 * fill (`answer_code`, `text`) and PostgreSQL writes the others as stored. NULL passes (no value).
 */
export const FORMULA_SAFE_COLUMNS = [
  'poll',
  'question',
  'indicator',
  'area',
  'age_group',
  'language',
  'channel',
] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  // One statement: PostgreSQL checks the stored rows against all the constraints in one scan.
  const constraints = FORMULA_SAFE_COLUMNS.map(
    (column) =>
      sql`add constraint ${sql.id(`answers_${column}_no_formula`)} check (ascii(${sql.id(column)}) not in (45, 61, 43, 64, 9, 13))`,
  );
  await sql`alter table monitor.answers ${sql.join(constraints)}`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const column of FORMULA_SAFE_COLUMNS) {
    await sql`alter table monitor.answers drop constraint if exists ${sql.id(`answers_${column}_no_formula`)}`.execute(
      db,
    );
  }
}
