import type { Migration } from 'kysely';
import * as m0001 from './0001_initial.js';
import * as m0003 from './0003_whatsapp.js';
import * as m0004 from './0004_api_tokens.js';
import * as m0005 from './0005_broadcasts.js';
import * as m0006 from './0006_desk.js';
import * as m0007 from './0007_http_sessions.js';
import * as m0008 from './0008_private_store.js';
import * as m0009 from './0009_retention.js';
import * as m0010 from './0010_whatsapp_cloud.js';
import * as m0011 from './0011_whatsapp_hardening.js';
import * as m0012 from './0012_settled_waves.js';
import * as m0013 from './0013_open_rsvps.js';
import * as m0014 from './0014_age_groups_sources.js';
import * as m0015 from './0015_subject_access.js';
import * as m0016 from './0016_wave_results.js';
import * as m0017 from './0017_corrections.js';
import * as m0018 from './0018_desk_sign_in.js';
import * as m0019 from './0019_polls_in_db.js';
import * as m0020 from './0020_news_topics.js';
import * as m0021 from './0021_media.js';
import * as m0022 from './0022_export_checks.js';
import * as m0025 from './0025_desk_images.js';
import * as m0027 from './0027_outbox.js';
import * as m0028 from './0028_bulk_row_indexes.js';
import * as m0029 from './0029_sealed_replies.js';
import * as m0030 from './0030_outbox_bulk.js';

/**
 * Every migration, in order. Listed explicitly (not read from the folder) so the same list works
 * from TypeScript sources and from the compiled build.
 */
export const migrations: Record<string, Migration> = {
  '0001_initial': m0001,
  '0003_whatsapp': m0003,
  '0004_api_tokens': m0004,
  '0005_broadcasts': m0005,
  '0006_desk': m0006,
  '0007_http_sessions': m0007,
  '0008_private_store': m0008,
  '0009_retention': m0009,
  '0010_whatsapp_cloud': m0010,
  '0011_whatsapp_hardening': m0011,
  '0012_settled_waves': m0012,
  '0013_open_rsvps': m0013,
  '0014_age_groups_sources': m0014,
  '0015_subject_access': m0015,
  '0016_wave_results': m0016,
  '0017_corrections': m0017,
  '0018_desk_sign_in': m0018,
  '0019_polls_in_db': m0019,
  '0020_news_topics': m0020,
  '0021_media': m0021,
  '0022_export_checks': m0022,
  '0025_desk_images': m0025,
  '0027_outbox': m0027,
  '0028_bulk_row_indexes': m0028,
  '0029_sealed_replies': m0029,
  '0030_outbox_bulk': m0030,
};
