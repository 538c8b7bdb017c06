import { type OutboundMessage, OutboundMessageSchema } from '../domain/messages.js';
import { dataSealer, seal } from '../privacy/sealed.js';
import { OUTBOUND_BODY } from './sealed-columns.js';

/**
 * An outbound row's message. A reply to one resident (and any other row that is not a broadcast's)
 * is sealed in `sealed_body`: it can hold that resident's own words. A broadcast's rows, the same
 * text for everyone and written by the fan-out in one statement, keep it in `body` as plain JSON.
 */
export interface StoredOutboundBody {
  body: unknown;
  sealed_body: Buffer | null;
}

/** The columns a row that is not a broadcast's is written with: one AES-GCM of the message's JSON. */
export function sealedOutbound(message: OutboundMessage): { body: null; sealed_body: Buffer } {
  return { body: null, sealed_body: seal(JSON.stringify(message), OUTBOUND_BODY) };
}

/**
 * The stored message of a row as JSON (not yet validated): `body`, else `sealed_body` opened with the
 * data key. Throws when the data key does not open it.
 */
export function outboundBodyOf(row: StoredOutboundBody): unknown {
  if (row.sealed_body !== null && row.sealed_body !== undefined) {
    return JSON.parse(dataSealer().open(row.sealed_body, OUTBOUND_BODY));
  }
  return row.body;
}

/** The stored message of a row, validated; throws when it is not one (or does not open). */
export function outboundMessageOf(row: StoredOutboundBody): OutboundMessage {
  return OutboundMessageSchema.parse(outboundBodyOf(row));
}

/** Like `outboundMessageOf`, without throwing: a row that does not open or parse is `undefined`. */
export function storedOutboundMessage(row: StoredOutboundBody): OutboundMessage | undefined {
  try {
    const parsed = OutboundMessageSchema.safeParse(outboundBodyOf(row));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
