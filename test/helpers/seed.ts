import type { Kysely } from 'kysely';
import { CONSENT_VERSION } from '../../src/app.js';
import type { Database } from '../../src/db/schema.js';
import { AGE_GROUP } from '../../src/db/sealed-columns.js';
import { seal } from '../../src/privacy/sealed.js';

/**
 * A console resident who joined (Nazareth, 27–40, consent given) with the given conversation state;
 * returns their id.
 */
export async function seedJoinedResident(
  db: Kysely<Database>,
  address: string,
  state: unknown,
  consentAt = new Date(),
): Promise<string> {
  const row = await db
    .insertInto('residents')
    .values({
      channel: 'console',
      address,
      language: 'nl',
      area: 'nazareth',
      age_group: seal('27-40', AGE_GROUP),
      consent_version: CONSENT_VERSION,
      consent_at: consentAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('conversations')
    .values({ resident_id: row.id, state: JSON.stringify(state) })
    .execute();
  return row.id;
}
