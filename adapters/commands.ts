import type { InboundPayload } from '../src/domain/messages.js';

const COMMAND = /^\/([A-Za-z][A-Za-z0-9_]{0,63})(?:\s+([\s\S]*))?$/;

/**
 * A typed line on a channel without native commands (WhatsApp): a leading slash makes it a command
 * (staff use `/flash`, join links `/start`), name in lower case; anything else is text.
 */
export function textPayload(text: string): InboundPayload {
  const command = COMMAND.exec(text.trim());
  return command
    ? { kind: 'command', name: command[1]!.toLowerCase(), args: (command[2] ?? '').trim() }
    : { kind: 'text', text };
}
