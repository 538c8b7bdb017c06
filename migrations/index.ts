import type { Migration } from 'kysely';
import * as m0001 from './0001_initial.js';

/**
 * Every migration, in order. Listed explicitly (not read from the folder) so the same list works
 * from TypeScript sources and from the compiled build.
 */
export const migrations: Record<string, Migration> = {
  '0001_initial': m0001,
};
