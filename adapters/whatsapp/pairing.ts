import type { Hono, MiddlewareHandler } from 'hono';
import type { Redis } from 'ioredis';

/** What the operator needs to know about the WhatsApp link, shared through Redis by the holder. */
export interface PairingStatus {
  state:
    | 'connecting'
    | 'qr'
    | 'pairing_code'
    | 'open'
    | 'reconnecting'
    | 'outdated'
    | 'logged_out'
    | 'replaced'
    | 'refused';
  /** The QR code to scan (state `qr`); it changes about every 20 seconds. */
  qr?: string;
  /** The code to type on the phone (state `pairing_code`). */
  code?: string;
  since: string;
}

/** The Redis key the connection holder writes its status to. */
export function pairingStatusKey(prefix: string): string {
  return `${prefix}:whatsapp:status`;
}

/** The status the connection holder last wrote, or null when no process holds the connection. */
export async function readPairingStatus(redis: Redis, prefix: string): Promise<PairingStatus | null> {
  const raw = await redis.get(pairingStatusKey(prefix));
  if (!raw) return null;
  try {
    return JSON.parse(raw) as PairingStatus;
  } catch {
    return null;
  }
}

/** Draws a QR code in the terminal, small enough for an 80-column window. */
export async function printQr(out: NodeJS.WritableStream, qr: string): Promise<void> {
  const { default: QRCode } = await import('qrcode');
  const drawing = await QRCode.toString(qr, { type: 'terminal', small: true });
  out.write(
    `\nWhatsApp: scan this QR code with the phone of the bot's number (WhatsApp → Settings → Linked devices → Link a device):\n${drawing}\n`,
  );
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const EXPLAIN: Record<PairingStatus['state'] | 'none', string> = {
  none: 'No Straatpraat process holds the WhatsApp connection right now (WhatsApp off, or starting).',
  connecting: 'Connecting to WhatsApp…',
  qr: 'Scan this code with the phone of the bot’s number: WhatsApp → Settings → Linked devices → Link a device.',
  pairing_code:
    'On the phone of the bot’s number: WhatsApp → Settings → Linked devices → Link a device → Link with phone number instead, then type this code.',
  open: 'Connected. The bot’s number is linked.',
  reconnecting: 'The connection dropped; reconnecting.',
  outdated:
    'WhatsApp refused our WhatsApp Web version (405). Straatpraat tries a newer one every ten minutes; update Straatpraat or set WHATSAPP_WEB_VERSION.',
  logged_out:
    'Logged out: the linked device was removed on the phone. Restart Straatpraat to show a new QR code here.',
  replaced:
    'Stopped: another client took over this linked device (440). Stop the other client (a second installation, a copied database), then restart Straatpraat.',
  refused:
    'Stopped: WhatsApp refused this number (locked or banned). Check the phone of the bot’s number, then restart Straatpraat.',
};

/**
 * `GET /admin/whatsapp`: the pairing page for admins. Shows the current QR code as SVG (or the
 * pairing code) while the number is not linked, else the connection's state; `?format=json` gives
 * the same as JSON. Reads the status from Redis, so any process can serve it.
 */
export function mountPairingPage(
  http: Hono,
  requireAdmin: MiddlewareHandler,
  deps: { redis: Redis; prefix: string },
): void {
  http.get('/admin/whatsapp', requireAdmin, async (c) => {
    const status = await readPairingStatus(deps.redis, deps.prefix);
    // The QR code is a login for the bot's number: never cached, never sent on as a referrer.
    c.header('Cache-Control', 'no-store');
    c.header('Referrer-Policy', 'no-referrer');
    if (c.req.query('format') === 'json') {
      return c.json(status ? { state: status.state, since: status.since } : { state: 'none' });
    }
    const state = status?.state ?? 'none';
    let shown = '';
    if (status?.state === 'qr' && status.qr) {
      const { default: QRCode } = await import('qrcode');
      shown = await QRCode.toString(status.qr, { type: 'svg', margin: 2, width: 320 });
    } else if (status?.state === 'pairing_code' && status.code) {
      shown = `<p class="code">${escapeHtml(status.code)}</p>`;
    }
    const waiting = state !== 'open';
    return c.html(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Straatpraat — WhatsApp</title>
${waiting ? '<meta http-equiv="refresh" content="5">' : ''}
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}.code{font-size:2.5rem;letter-spacing:.3rem;font-family:monospace}</style>
</head><body>
<h1>WhatsApp</h1>
<p data-state="${escapeHtml(state)}">${escapeHtml(EXPLAIN[state])}</p>
${shown}
${status ? `<p><small>Since ${escapeHtml(status.since)}</small></p>` : ''}
</body></html>`);
  });
}
