import type { Logger } from '../../src/log.js';

/** A WhatsApp Web version as Baileys sends it in its login: `[2, 3000, 1023456789]`. */
export type WebVersion = [number, number, number];

/** Reads `2.3000.1023456789` (WHATSAPP_WEB_VERSION); undefined for anything else. */
export function parseWebVersion(text: string | undefined): WebVersion | undefined {
  const m = /^(\d{1,4})\.(\d{1,6})\.(\d{1,12})$/.exec(text?.trim() ?? '');
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

/** The newer of two versions. */
export function newerVersion(a: WebVersion, b: WebVersion): WebVersion {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! > b[i]! ? a : b;
  return a;
}

/** How long the look-up of the current version may take before the bundled one is used. */
const FETCH_TIMEOUT_MS = 10_000;

/**
 * The version WhatsApp Web serves right now, read by Baileys from web.whatsapp.com; undefined when
 * it cannot be read (no network, page changed).
 */
export async function fetchCurrentWebVersion(log: Logger): Promise<WebVersion | undefined> {
  const { fetchLatestWaWebVersion } = await import('@whiskeysockets/baileys');
  const found = await fetchLatestWaWebVersion({ signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  if (found.isLatest) return found.version as WebVersion;
  const reason = (found.error as Error | undefined)?.message ?? 'no version in the page';
  log.warn({ reason }, 'could not read the current WhatsApp Web version; using the one Baileys ships');
  return undefined;
}
