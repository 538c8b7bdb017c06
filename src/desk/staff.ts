import type { Kysely } from 'kysely';
import { z } from 'zod';
import { STAFF_ROLES, type StaffContext, type StaffRole } from '../../flows/desk/types.js';
import type { Database } from '../db/schema.js';
import type { ChannelName } from '../domain/messages.js';
import { type AuditActor, type AuditVia, recordAudit } from './audit.js';

/** Staff roles as a schema. */
const StaffRoleSchema = z.enum(STAFF_ROLES);

/** Thrown for a staff request that cannot be carried out; the message says why, in one line. */
export class StaffRequestError extends Error {
  override readonly name = 'StaffRequestError';
}

/**
 * A staff member's user id as the channel addresses them, so it matches the sender of their
 * messages: a Telegram user id (their private chat id), a WhatsApp number (stored as its JID) or JID,
 * or a console name.
 */
export function staffUserId(channel: ChannelName, user: string): string {
  const value = user.trim();
  switch (channel) {
    case 'telegram':
      if (!/^\d{1,20}$/.test(value)) {
        throw new StaffRequestError(
          'a Telegram user id is a number (ask the person to message @userinfobot)',
        );
      }
      return value;
    case 'whatsapp': {
      const digits = value.replace(/^\+/, '').replace(/[\s-]/g, '');
      if (/^\d{8,15}$/.test(digits)) return `${digits}@s.whatsapp.net`;
      if (/^\d{5,20}@(s\.whatsapp\.net|lid)$/.test(value)) return value;
      throw new StaffRequestError('a WhatsApp user is a phone number with country code, e.g. 31612345678');
    }
    case 'whatsapp-cloud': {
      // The Cloud API knows people by number (wa_id, no plus) or business-scoped user id.
      const digits = value.replace(/^\+/, '').replace(/[\s-]/g, '');
      if (/^\d{8,15}$/.test(digits)) return digits;
      if (/^[A-Z]{2}\.[A-Za-z0-9.]{1,140}$/.test(value)) return value;
      throw new StaffRequestError('a WhatsApp user is a phone number with country code, e.g. 31612345678');
    }
    case 'console':
      if (!/^[A-Za-z0-9._-]{1,64}$/.test(value)) {
        throw new StaffRequestError(
          'a console user is a name of 1 to 64 letters, digits, dot, dash or underscore',
        );
      }
      return value;
  }
}

/**
 * The staff member behind a sender, if any: one lookup on the unique (channel, user id) index. On
 * WhatsApp a chat may be known by its LID while staff are listed by number, so the contact table
 * that links the two is consulted as well.
 */
export async function findStaff(
  db: Kysely<Database>,
  channel: ChannelName,
  address: string,
): Promise<StaffContext | undefined> {
  let query = db.selectFrom('staff').select(['id', 'role', 'name']).where('channel', '=', channel);
  query =
    channel === 'whatsapp'
      ? query.where((eb) =>
          eb.or([
            eb('user_id', '=', address),
            eb(
              'user_id',
              'in',
              eb
                .selectFrom('whatsapp_contacts')
                .select((c) => c.fn.coalesce('pn', 'lid').as('id'))
                .where('address', '=', address),
            ),
          ]),
        )
      : query.where('user_id', '=', address);
  const row = await query.limit(1).executeTakeFirst();
  const role = StaffRoleSchema.safeParse(row?.role);
  return row && role.success ? { id: row.id, role: role.data, name: row.name } : undefined;
}

/** A staff member as `staff list` shows them. */
export interface StaffMember {
  id: number;
  channel: string;
  userId: string;
  role: StaffRole;
  name: string | null;
  /** The area a wijkteam member works in; null for every area. */
  area: string | null;
  createdAt: string;
}

/** Adds a staff member, or changes the role and name of one already listed. */
export async function addStaff(
  db: Kysely<Database>,
  input: {
    channel: ChannelName;
    user: string;
    role: StaffRole;
    name?: string;
    /** The area a wijkteam member works in: told only of that area's new help requests. */
    area?: 'nazareth' | 'pottenberg';
  },
  actor: AuditActor,
  now: Date,
  via?: AuditVia,
): Promise<{ member: StaffMember; created: boolean }> {
  const userId = staffUserId(input.channel, input.user);
  const name = input.name?.trim() || null;
  if (name && name.length > 60) throw new StaffRequestError('a name is at most 60 characters');
  return db.transaction().execute(async (tx) => {
    const existing = await tx
      .selectFrom('staff')
      .select('id')
      .where('channel', '=', input.channel)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    const row = await tx
      .insertInto('staff')
      .values({
        channel: input.channel,
        user_id: userId,
        role: input.role,
        name,
        ...(input.area && { area: input.area }),
        created_at: now,
      })
      .onConflict((oc) =>
        oc.columns(['channel', 'user_id']).doUpdateSet({
          role: input.role,
          ...(name !== null && { name }),
          ...(input.area && { area: input.area }),
        }),
      )
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(tx, actor, existing ? 'staff.update' : 'staff.add', auditDetails(row, via), now);
    return { member: memberOf(row), created: !existing };
  });
}

/** What the audit log says of a staff change: whose row, as it is now (or was), and where it was done. */
const auditDetails = (
  row: { id: number; channel: string; role: string; name: string | null; area: string | null },
  via: AuditVia | undefined,
) => ({
  staffId: row.id,
  channel: row.channel,
  role: row.role,
  name: row.name,
  area: row.area,
  ...(via && { via }),
});

/** Removes a staff member; false when there was none. */
export async function removeStaff(
  db: Kysely<Database>,
  input: { channel: ChannelName; user: string },
  actor: AuditActor,
  now: Date,
  via?: AuditVia,
): Promise<StaffMember | undefined> {
  const userId = staffUserId(input.channel, input.user);
  return db.transaction().execute(async (tx) => {
    const row = await tx
      .deleteFrom('staff')
      .where('channel', '=', input.channel)
      .where('user_id', '=', userId)
      .returningAll()
      .executeTakeFirst();
    if (!row) return undefined;
    await recordAudit(tx, actor, 'staff.remove', auditDetails(row, via), now);
    return memberOf(row);
  });
}

/** Everyone on the staff list. */
export async function listStaff(db: Kysely<Database>): Promise<StaffMember[]> {
  const rows = await db.selectFrom('staff').selectAll().orderBy('id').execute();
  return rows.map(memberOf);
}

/** A staff member by their number. */
export async function staffById(db: Kysely<Database>, id: number): Promise<StaffMember | undefined> {
  const row = await db.selectFrom('staff').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? memberOf(row) : undefined;
}

function memberOf(row: {
  id: number;
  channel: string;
  user_id: string;
  role: string;
  name: string | null;
  area?: string | null;
  created_at: Date | string;
}): StaffMember {
  return {
    id: row.id,
    channel: row.channel,
    userId: row.user_id,
    area: row.area ?? null,
    role: row.role as StaffRole,
    name: row.name,
    createdAt: new Date(row.created_at).toISOString(),
  };
}
