import { type Kysely, sql } from 'kysely';

/**
 * Sign-in to the web desk without passwords. A staff member names their channel identity and gets a
 * one-time code in their own chat; `desk_sign_in` keeps, per identity entered (as a SHA-256 hash, so a
 * number typed in by mistake is not stored readable), the hash of the code that was sent, when it
 * stops working, how many codes went out lately, the wrong tries and how long the identity is locked after five of them. An identity
 * that is not on the staff list gets a row too (with no code), so the answer never tells who is staff.
 *
 * Browser sessions now belong to an API token (results page) or to a staff member (web desk), never
 * both; a staff session carries a random CSRF token that every form of the desk must send back, and
 * ends when the staff member is removed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('desk_sign_in')
    .addColumn('identity_hash', 'text', (c) => c.primaryKey())
    .addColumn('staff_id', 'integer', (c) => c.references('staff.id').onDelete('cascade'))
    .addColumn('code_hash', 'text')
    .addColumn('sent_at', 'timestamptz')
    .addColumn('expires_at', 'timestamptz')
    .addColumn('sends', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('sends_since', 'timestamptz')
    .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .alterTable('http_sessions')
    .alterColumn('token_id', (c) => c.dropNotNull())
    .execute();
  await db.schema
    .alterTable('http_sessions')
    .addColumn('staff_id', 'integer', (c) => c.references('staff.id').onDelete('cascade'))
    .addColumn('csrf_token', 'text')
    .execute();
  await sql`alter table http_sessions add constraint http_sessions_one_holder
    check ((token_id is null) <> (staff_id is null) and (staff_id is null or csrf_token is not null))`.execute(
    db,
  );
  await db.schema.createIndex('http_sessions_staff_id_idx').on('http_sessions').column('staff_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`delete from http_sessions where staff_id is not null`.execute(db);
  await sql`alter table http_sessions drop constraint if exists http_sessions_one_holder`.execute(db);
  await db.schema.alterTable('http_sessions').dropColumn('staff_id').dropColumn('csrf_token').execute();
  await db.schema
    .alterTable('http_sessions')
    .alterColumn('token_id', (c) => c.setNotNull())
    .execute();
  await db.schema.dropTable('desk_sign_in').ifExists().execute();
}
