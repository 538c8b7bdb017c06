import { type Kysely, sql } from 'kysely';
import { MONITOR_READER } from './0008_private_store.js';

/**
 * Polls live in the database, versioned, and poll waves can recur.
 *
 * - `polls`: one row per poll code; `poll_versions`: every version of its definition (jsonb, the shape
 *   of `flows/polls/schema.ts`), numbered 1, 2, … per code. The `id` of `poll_versions` only grows, so
 *   its maximum is a cheap counter a process compares to see whether its catalog is out of date.
 *   The shipped polls are seeded from their JSON at start (src/polls/seed.ts), not here.
 * - `waves.poll_version` pins the version a wave was launched with; `monitor.answers.poll_version`
 *   keeps the version an answer was given under. Rows from before are version 1 (the shipped file).
 *   `monitor.wave_status` shows the pinned version too, so a wave's results (read as the monitor
 *   reader role) show the questions the wave asked.
 * - `poll_schedules`: a recurring wave per poll; `poll_schedule_runs`: one row per occurrence that
 *   was opened (with its wave) or skipped. Its primary key (schedule_id, occurrence) makes a
 *   recurring wave open exactly once, however many scheduler processes run.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table polls (
      code text primary key,
      created_at timestamptz not null default now(),
      created_by text not null
    )`.execute(db);
  await sql`
    create table poll_versions (
      id bigserial primary key,
      poll text not null references polls(code) on delete cascade,
      version integer not null check (version > 0),
      definition jsonb not null,
      source text not null check (source in ('shipped', 'cli', 'desk')),
      created_by text not null,
      created_at timestamptz not null default now(),
      unique (poll, version)
    )`.execute(db);
  await sql`alter table waves add column poll_version integer not null default 1`.execute(db);
  await sql`alter table monitor.answers add column poll_version integer not null default 1`.execute(db);
  await sql`create or replace view monitor.wave_status as
    select id, poll, status, poll_version from public.waves`.execute(db);
  await sql`
    create table poll_schedules (
      id uuid primary key default gen_random_uuid(),
      poll text not null unique references polls(code) on delete cascade,
      rule jsonb not null,
      audience jsonb not null default '{}',
      min_days_joined integer not null default 0 check (min_days_joined >= 0),
      remind_after_ms bigint,
      close_after_ms bigint not null check (close_after_ms > 0),
      created_by text not null,
      created_at timestamptz not null
    )`.execute(db);
  await sql`
    create table poll_schedule_runs (
      schedule_id uuid not null references poll_schedules(id) on delete cascade,
      occurrence timestamptz not null,
      wave_id uuid references waves(id) on delete set null,
      skipped boolean not null default false,
      created_at timestamptz not null,
      primary key (schedule_id, occurrence)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists poll_schedule_runs`.execute(db);
  await sql`drop table if exists poll_schedules`.execute(db);
  await sql`alter table monitor.answers drop column if exists poll_version`.execute(db);
  await sql`drop view if exists monitor.wave_status`.execute(db);
  await sql`create view monitor.wave_status as select id, poll, status from public.waves`.execute(db);
  await sql`grant select on monitor.wave_status to ${sql.id(MONITOR_READER)}`.execute(db);
  await sql`alter table waves drop column if exists poll_version`.execute(db);
  await sql`drop table if exists poll_versions`.execute(db);
  await sql`drop table if exists polls`.execute(db);
}
