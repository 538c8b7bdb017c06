import { loadPolls } from '../../flows/polls/catalog.js';
import type { Poll } from '../../flows/polls/schema.js';
import { StartupError } from '../domain/errors.js';

/** Poll definitions, validated at start: a bad file stops the process with one line. */
export function loadPollCatalog(): Map<string, Poll> {
  try {
    return loadPolls();
  } catch (error) {
    throw new StartupError(`Poll definition error: ${(error as Error).message}.`);
  }
}
