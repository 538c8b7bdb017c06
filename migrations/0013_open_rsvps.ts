import { type Kysely, sql } from 'kysely';

/**
 * Two changes residents asked for together (one migration for the release).
 *
 * Help requests: `notified_at` says when the wijkteam was told of a request in the chat (at once in
 * office hours, else when they start); requests made before this migration count as told. Staff get
 * an optional `area`: a wijkteam member with one hears only of that area's new requests. A message
 * staff start to a resident in quiet hours keeps its `not_before`, so a re-queue after a crash waits too.
 *
 * `broadcast_context()` tells the flows about every RSVP a resident can still answer, not only the
 * latest flash: a plain flash after an RSVP flash no longer hides it. It returns
 * - `wave`: the latest wave (as before);
 * - `rsvps`: each flash or session announcement with an RSVP that reached the resident and is still
 *   open (a session until it starts, a flash for 7 days after it was sent), newest first, with
 *   whether the resident already said they come, at most 9 (the resident picks one by a digit);
 * - `session`: the next straatpraat session in the resident's area whose announcement has gone out.
 * A PL/pgSQL function because its plans are cached per connection (see migration 0005).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('help_requests').addColumn('notified_at', 'timestamptz').execute();
  await sql`update help_requests set notified_at = created_at`.execute(db);
  await db.schema
    .createIndex('help_requests_unnotified_idx')
    .on('help_requests')
    .column('id')
    .where(sql.ref('notified_at'), 'is', null)
    .execute();
  await db.schema.alterTable('outbound_messages').addColumn('not_before', 'timestamptz').execute();
  await db.schema
    .alterTable('staff')
    .addColumn('area', 'text', (c) => c.check(sql`area in ('nazareth', 'pottenberg')`))
    .execute();

  await sql`drop function if exists broadcast_context(uuid, timestamptz)`.execute(db);
  await db.schema
    .createIndex('flashes_session_at_idx')
    .on('flashes')
    .column('session_at')
    .where(sql.ref('kind'), '=', 'session')
    .execute();
  await sql`
    create function broadcast_context(p_resident uuid, p_now timestamptz) returns json
    language plpgsql stable as $$
    declare
      wave json;
      rsvps json;
      session json;
      area text;
    begin
      select json_build_object(
               'id', p.wave_id, 'poll', w.poll, 'status', p.status, 'invited_at', p.invited_at,
               'open', w.status <> 'closed' and w.opens_at <= p_now and w.closes_at > p_now)
        into wave
        from wave_participants p join waves w on w.id = p.wave_id
       where p.resident_id = p_resident and p.status <> 'held'
       order by p.invited_at desc limit 1;
      -- Open RSVPs: plain flashes sent in the last 7 days, and sessions still ahead that reached the resident.
      select json_agg(x order by x.sent_at desc)
        into rsvps
        from (
          select * from (
            select distinct on (f.id)
                   f.id, f.kind, f.texts, f.session_at, o.created_at as sent_at,
                   exists (select 1 from flash_rsvps r where r.flash_id = f.id and r.resident_id = p_resident)
                     as rsvped
              from (
                select o.broadcast_id, o.created_at
                  from outbound_messages o
                 where o.resident_id = p_resident and o.broadcast_id is not null and o.status = 'sent'
                   and o.created_at > p_now - interval '7 days'
                union all
                select o.broadcast_id, o.created_at
                  from flashes s
                  join broadcasts sb on sb.flash_id = s.id and sb.kind = 'flash'
                  join outbound_messages o on o.broadcast_id = sb.id and o.resident_id = p_resident
                 where s.kind = 'session' and s.session_at > p_now and o.status = 'sent'
              ) o
              join broadcasts b on b.id = o.broadcast_id
              join flashes f on f.id = b.flash_id
             where b.kind = 'flash' and f.rsvp
               and case when f.kind = 'session' then f.session_at > p_now
                        else o.created_at > p_now - interval '7 days' end
             order by f.id, o.created_at desc
          ) y
          order by y.sent_at desc limit 9
        ) x;
      -- The next session in the resident's area (or for every area) that has been announced.
      select r.area into area from residents r where r.id = p_resident;
      select json_build_object('id', f.id, 'session_at', f.session_at)
        into session
        from flashes f
       where f.kind = 'session' and f.session_at > p_now
         and (f.audience->'areas' is null or (area is not null and f.audience->'areas' ? area))
         and exists (select 1 from broadcasts b where b.flash_id = f.id and b.kind = 'flash' and b.send_at <= p_now)
       order by f.session_at limit 1;
      return json_build_object('wave', wave, 'rsvps', coalesce(rsvps, '[]'::json), 'session', session);
    end
    $$`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop function if exists broadcast_context(uuid, timestamptz)`.execute(db);
  await db.schema.dropIndex('flashes_session_at_idx').ifExists().execute();
  await db.schema.dropIndex('help_requests_unnotified_idx').ifExists().execute();
  await db.schema.alterTable('help_requests').dropColumn('notified_at').execute();
  await db.schema.alterTable('staff').dropColumn('area').execute();
  await db.schema.alterTable('outbound_messages').dropColumn('not_before').execute();
  // The function as migration 0005 made it.
  await sql`
    create function broadcast_context(p_resident uuid, p_now timestamptz) returns json
    language plpgsql stable as $$
    declare
      wave json;
      flash json;
    begin
      select json_build_object(
               'id', p.wave_id, 'poll', w.poll, 'status', p.status, 'invited_at', p.invited_at,
               'open', w.status <> 'closed' and w.opens_at <= p_now and w.closes_at > p_now)
        into wave
        from wave_participants p join waves w on w.id = p.wave_id
       where p.resident_id = p_resident and p.status <> 'held'
       order by p.invited_at desc limit 1;
      select json_build_object(
               'id', f.id, 'kind', f.kind, 'rsvp', f.rsvp, 'sent_at', o.created_at, 'session_at', f.session_at,
               'rsvped', exists (select 1 from flash_rsvps x where x.flash_id = f.id and x.resident_id = p_resident))
        into flash
        from outbound_messages o
        join broadcasts b on b.id = o.broadcast_id
        join flashes f on f.id = b.flash_id
       where o.resident_id = p_resident and o.broadcast_id is not null and b.kind = 'flash' and o.status = 'sent'
       order by o.created_at desc limit 1;
      return json_build_object('wave', wave, 'flash', flash);
    end
    $$`.execute(db);
}
