import { type Kysely, sql } from 'kysely';

/**
 * Sign-ins to the results page and the staff pages, kept on the server: the browser holds only a
 * random session id, and the table only its SHA-256 hash, so a copy of the database cannot be used to
 * sign in. A session lasts 8 hours at most and ends earlier on sign-out, on `straatpraat token
 * end-session` or when its token is revoked or expires.
 *
 * API tokens get an expiry too; tokens made before this migration expire 90 days from now.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('api_tokens')
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now() + interval '90 days'`))
    .execute();
  await db.schema
    .createTable('http_sessions')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('session_hash', 'text', (c) => c.notNull().unique())
    .addColumn('token_id', 'integer', (c) => c.notNull().references('api_tokens.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('analyst', 'wijkteam', 'admin')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('revoked_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('http_sessions_token_id_idx').on('http_sessions').column('token_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('http_sessions').ifExists().execute();
  await db.schema.alterTable('api_tokens').dropColumn('expires_at').execute();
}
