import { type Kysely, sql } from 'kysely';
import type { Texts } from '../../flows/i18n/texts.js';
import { ageCheckAsk } from '../../flows/keyword-actions.js';
import { parseState } from '../../flows/state.js';
import { sealedOutbound } from '../db/outbound-body.js';
import type { Database } from '../db/schema.js';
import { AGE_GROUP, LOG_BODY } from '../db/sealed-columns.js';
import { LANGUAGES } from '../domain/language.js';
import { OutboundMessageSchema } from '../domain/messages.js';
import { AgeGroupSchema } from '../domain/resident.js';
import { seal, unsealNullable } from '../privacy/sealed.js';
import type { Outbox } from '../queue/outbox.js';
import type { OutboundJob } from '../queue/payloads.js';

// Once a year a resident with an age group is asked, in one message, whether it is still right. The
// answer (a group, the same or another) is handled by the resident flow (`ageStep`); skipping or
// writing anything else leaves the group as it is. Asked only when the resident is not in the middle
// of something (idle), so the question never cuts into a poll or a dialog.

/** How long an age group counts as current, and how long after asking the check is not asked again. */
export const AGE_CHECK_DAYS = 365;
/** Residents asked per statement. */
const BATCH = 200;
const DAY_MS = 86_400_000;

export interface AgeCheckOptions {
  db: Kysely<Database>;
  outbox: Outbox;
  texts: Texts;
  now: Date;
}

/**
 * Asks the yearly age check of residents whose group was last given or confirmed a year ago or more
 * (and who were not asked in the last year): one `bulk` message each (quiet hours hold it), and
 * their conversation waits for the answer. Returns how many were asked.
 */
export async function askAgeChecks(opts: AgeCheckOptions): Promise<number> {
  const { db, outbox, texts, now } = opts;
  const due = new Date(now.getTime() - AGE_CHECK_DAYS * DAY_MS);
  let total = 0;
  for (;;) {
    const { jobs, seen } = await db.transaction().execute(async (tx) => {
      const rows = await tx
        .selectFrom('residents as r')
        .leftJoin('conversations as c', 'c.resident_id', 'r.id')
        .select(['r.id', 'r.channel', 'r.address', 'r.language', 'r.age_group', 'c.state'])
        .where('r.status', '=', 'active')
        .where('r.consent_at', 'is not', null)
        .where('r.age_group', 'is not', null)
        .where(sql<boolean>`coalesce(r.age_confirmed_at, r.consent_at) <= ${due}`)
        .where((eb) => eb.or([eb('r.age_asked_at', 'is', null), eb('r.age_asked_at', '<=', due)]))
        .where(sql<boolean>`(c.state is null or c.state->>'flow' = 'idle')`)
        .orderBy('r.id')
        .limit(BATCH)
        .forUpdate(['r'])
        .skipLocked()
        .execute();
      const jobs: OutboundJob[] = [];
      for (const row of rows) {
        await tx.updateTable('residents').set({ age_asked_at: now }).where('id', '=', row.id).execute();
        const group = AgeGroupSchema.safeParse(unsealNullable(row.age_group, AGE_GROUP));
        // "Sla over" at joining is no group: nothing to check.
        if (!group.success || group.data === 'geen') continue;
        const state = parseState(row.state);
        const paused = state?.flow === 'idle' ? state.paused : undefined;
        // The resident's language; Dutch for a language no longer present.
        const lang = row.language && LANGUAGES.includes(row.language) ? row.language : 'nl';
        const [ask] = ageCheckAsk({ texts, resident: { channel: row.channel, ageGroup: group.data } }, lang);
        const message = OutboundMessageSchema.parse(ask);
        const out = await tx
          .insertInto('outbound_messages')
          .values({
            resident_id: row.id,
            channel: row.channel,
            kind: 'bulk',
            // Sealed like a reply: it names this resident's age group.
            ...sealedOutbound(message),
            created_at: now,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await tx
          .insertInto('message_log')
          .values({ resident_id: row.id, direction: 'out', body: seal(message.text, LOG_BODY) })
          .execute();
        const waiting = JSON.stringify({
          flow: 'age',
          misses: 0,
          check: true,
          askedAt: now.toISOString(),
          ...(paused && { paused }),
        });
        await tx
          .insertInto('conversations')
          .values({ resident_id: row.id, state: waiting, updated_at: now })
          .onConflict((oc) => oc.column('resident_id').doUpdateSet({ state: waiting, updated_at: now }))
          .execute();
        jobs.push({
          outboundId: out.id,
          residentId: row.id,
          channel: row.channel as OutboundJob['channel'],
          address: row.address,
          kind: 'bulk',
          message,
          queuedAt: now.getTime(),
        });
      }
      return { jobs, seen: rows.length };
    });
    if (jobs.length > 0) await outbox.enqueue(jobs);
    total += jobs.length;
    if (seen < BATCH) return total;
  }
}
