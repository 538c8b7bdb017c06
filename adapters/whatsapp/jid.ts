/**
 * WhatsApp ids (JIDs) as far as Straatpraat needs them, without loading Baileys. A person has a
 * phone-number JID (`31612345678@s.whatsapp.net`) and, since 2025, a LID (`123456789012345@lid`)
 * that hides the number; either can address a chat. Device suffixes (`:12`) are not part of a
 * person's id.
 */

const USER_JID = /^(\d{5,20})(?::\d+)?@(s\.whatsapp\.net|lid)$/;

/** A person's phone-number JID or LID, device suffix removed; null for anything else (groups, broadcasts, newsletters). */
export function personJid(jid: string | null | undefined): string | null {
  if (!jid) return null;
  const m = USER_JID.exec(jid);
  return m ? `${m[1]}@${m[2]}` : null;
}

/** Whether a JID is a phone-number JID (as opposed to a LID). */
export function isPhoneJid(jid: string): boolean {
  return jid.endsWith('@s.whatsapp.net');
}

/** Whether a JID is a LID. */
export function isLid(jid: string): boolean {
  return jid.endsWith('@lid');
}

/** Whether `address` is something we can send to: a person's JID without device suffix. */
export function isSendableAddress(address: string): boolean {
  return personJid(address) === address;
}
