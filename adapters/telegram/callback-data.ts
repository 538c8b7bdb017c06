/**
 * Telegram gives a button 1 to 64 bytes of `callback_data`, returned verbatim when it is pressed.
 * We put the ask's ref and the option's value in it, so a press decodes without any stored state
 * (old keyboards keep working after a restart, on any process):
 *
 *     <length of ref in decimal>:<ref><value>        e.g. "21:veerkracht-kort/thuis4"
 *
 * The length prefix makes any ref and value unambiguous without escaping. The data starts with a
 * digit; a future format must start with something else so old buttons still decode.
 */
export const MAX_CALLBACK_DATA_BYTES = 64;

/**
 * Encodes ref + value, or returns undefined when it does not fit Telegram's 64 bytes (or `maxBytes`:
 * WhatsApp's Cloud API uses the same format for its button and list-row ids, which may be longer).
 */
export function encodeCallbackData(
  ref: string,
  value: string,
  maxBytes = MAX_CALLBACK_DATA_BYTES,
): string | undefined {
  const data = `${ref.length}:${ref}${value}`;
  return Buffer.byteLength(data, 'utf8') <= maxBytes ? data : undefined;
}

/** Decodes what `encodeCallbackData` made; undefined for anything else (foreign or damaged data). */
export function decodeCallbackData(data: string): { ref: string; value: string } | undefined {
  const match = /^(\d{1,3}):/.exec(data);
  if (!match) return undefined;
  const length = Number(match[1]);
  const rest = data.slice(match[0].length);
  if (length < 1 || rest.length <= length) return undefined;
  return { ref: rest.slice(0, length), value: rest.slice(length) };
}
