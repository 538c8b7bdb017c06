import { createHash, createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parseMultipart } from './multipart.js';

/** Settings in the shape the env schema accepts. */
export const CLOUD_TOKEN = `EAAG${'x'.repeat(60)}`;
export const CLOUD_PHONE_NUMBER_ID = '106540352242922';
export const CLOUD_APP_SECRET = 'f00dfacecafebeef0123456789abcdef';
export const CLOUD_VERIFY_TOKEN = 'verify-token-0123456789';
export const CLOUD_DISPLAY_NUMBER = '+31 43 123 4567';

const FIXTURES = join(import.meta.dirname, '../fixtures/whatsapp-cloud');
/** A fixture from Meta's documentation examples. */
export function cloudFixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8'));
}

type Json = Record<string, unknown>;

/** One message the fake accepted, as the person's phone would show it. */
export interface CloudDelivered {
  wamid: string;
  /** `to` (a number) or `recipient` (a user id). */
  to: string;
  type: 'text' | 'interactive' | 'template' | 'image';
  text: string;
  /** Button titles or list row titles, in order. */
  buttons: string[];
  /** List row descriptions (full labels of shortened rows). */
  descriptions: string[];
  template?: { name: string; language: string; parameter: string };
  /** A picture's media id (an upload to this number), when `type` is image. */
  imageId?: string;
  payload: Json;
}

/** A scripted refusal: the next `times` sends (to `to`, if given) get this Meta error. */
export interface CloudFailure {
  code: number;
  status?: number;
  message?: string;
  times?: number;
  to?: string;
}

/** How the fake tells a free-form message outside the 24-hour window: at once (400), or later as a failed status. */
export type WindowMode = 'http' | 'status' | 'off';

/**
 * Meta's Graph API for the WhatsApp Cloud API on 127.0.0.1, for tests. It checks every message the
 * way Meta documents its limits (text ≤ 4,096; reply buttons 1–3 with unique titles ≤ 20; lists ≤ 10
 * rows, titles ≤ 24, descriptions ≤ 72, button ≤ 20, body ≤ 1,024; ids ≤ 256/200; templates only
 * by approved name and language, parameters without new lines; exactly one of `to`/`recipient`),
 * answers a breach with Meta's 400 (#100) and records it in `violations`. It keeps the 24-hour
 * window per person (opened by `inbound`), refuses free-form outside it with 131047 (at once, or
 * as a later failed status), sends status webhooks signed with the app secret, and plays scripted
 * errors (130429, 131048, 190, 5xx …).
 */
export class FakeWhatsAppCloud {
  readonly token: string;
  readonly delivered: CloudDelivered[] = [];
  readonly violations: string[] = [];
  /** Every call (method and path), to check nothing was sent. */
  readonly calls: { method: string; path: string; at: number }[] = [];
  /** Approved templates: name → languages. */
  readonly templates = new Map<string, Set<string>>();
  /** Where status webhooks go (the app's /webhooks/whatsapp); statuses are not sent without it. */
  webhookUrl: string | undefined;
  window: WindowMode = 'http';
  /** Statuses to send after each accepted message. */
  statusFlow: ('sent' | 'delivered' | 'read')[] = ['sent', 'delivered'];
  /** Send every status twice and in reverse order, as Meta may. */
  shuffleStatuses = false;
  readonly #lastInbound = new Map<string, number>();
  readonly #failures: CloudFailure[] = [];
  #server: Server | undefined;
  #url = '';
  #n = 0;
  readonly #pending = new Set<Promise<unknown>>();

  constructor(opts: { token?: string } = {}) {
    this.token = opts.token ?? CLOUD_TOKEN;
    for (const name of [
      'straatpraat_nieuws',
      'straatpraat_vraag',
      'straatpraat_herinnering',
      'straatpraat_bijeenkomst',
      'straatpraat_verslag',
      'straatpraat_antwoord',
    ]) {
      this.templates.set(name, new Set(['nl', 'en']));
    }
  }

  get url(): string {
    return this.#url;
  }

  async start(): Promise<this> {
    this.#server = createServer((req, res) => void this.#handle(req, res));
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', resolve));
    this.#url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.#pending]);
    await new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
  }

  /** The person wrote to us at `at`: their 24-hour window is open from then. */
  inbound(to: string, at = Date.now()): void {
    this.#lastInbound.set(to, at);
  }

  /** Closes a person's window, as 24 hours without a message would. */
  closeWindow(to: string): void {
    this.#lastInbound.delete(to);
  }

  fail(failure: CloudFailure): void {
    this.#failures.push({ times: 1, ...failure });
  }

  /** What a person received. */
  received(to: string): CloudDelivered[] {
    return this.delivered.filter((d) => d.to === to);
  }

  /** Media on Meta's servers: uploads by the business (POST /media) and files residents sent. */
  readonly media = new Map<string, { bytes: Buffer; mimeType: string; upload: boolean }>();

  /** Uploads made with POST /<phone number id>/media, in order. */
  get uploads(): { id: string; bytes: Buffer; mimeType: string }[] {
    return [...this.media.entries()].filter(([, m]) => m.upload).map(([id, m]) => ({ id, ...m }));
  }

  /** A file a resident sent: its media id as the webhook gives it, for GET /<media id>. */
  addMedia(id: string, bytes: Buffer, mimeType: string): void {
    this.media.set(id, { bytes, mimeType, upload: false });
  }

  /** A photo from a person, without a caption, as the webhook carries it (media id only). */
  imageFrom(waId: string, mediaId: string): Json {
    return this.#messageCall(waId, {
      type: 'image',
      image: { mime_type: 'image/jpeg', sha256: 'c2hhMjU2', id: mediaId },
    });
  }

  /** A voice message from a person, as the webhook carries it. */
  voiceFrom(waId: string, mediaId: string): Json {
    return this.#messageCall(waId, {
      type: 'audio',
      audio: { mime_type: 'audio/ogg; codecs=opus', sha256: 'c2hhMjU2', id: mediaId, voice: true },
    });
  }

  #messageCall(waId: string, content: Json): Json {
    return webhookCall({
      contacts: [{ profile: { name: 'Bewoner' }, wa_id: waId }],
      messages: [
        { from: waId, id: this.#wamid(), timestamp: String(Math.floor(Date.now() / 1000)), ...content },
      ],
    });
  }

  /** Posts a webhook body to the app, signed like Meta (or with `signature` as given). */
  async post(body: string | Json, signature?: string): Promise<Response> {
    if (!this.webhookUrl) throw new Error('no webhook url');
    const raw = typeof body === 'string' ? body : JSON.stringify(body);
    return fetch(this.webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature ?? sign(raw) },
      body: raw,
    });
  }

  /** A text message from a person, as Meta's webhook carries it (fixture `text-message`, re-addressed). */
  textFrom(waId: string, text: string, extra: { userId?: string; at?: number } = {}): Json {
    return messageCall(waId, extra.userId, {
      id: this.#wamid(),
      timestamp: String(Math.floor((extra.at ?? Date.now()) / 1000)),
      type: 'text',
      text: { body: text },
    });
  }

  /** A tap on a reply button or list row we sent (by its id and title). */
  replyFrom(waId: string, kind: 'button_reply' | 'list_reply', id: string, title: string): Json {
    return messageCall(waId, undefined, {
      id: this.#wamid(),
      timestamp: String(Math.floor(Date.now() / 1000)),
      type: 'interactive',
      interactive: { type: kind, [kind]: { id, title } },
    });
  }

  /** Waits until every status webhook the fake sent has been answered. */
  async settled(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }

  #wamid(): string {
    return `wamid.${randomBytes(18).toString('base64url')}${++this.#n}`;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const path = (req.url ?? '').split('?')[0]!;
    this.calls.push({ method: req.method ?? '', path, at: Date.now() });
    const answer = (status: number, body: Json) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${this.token}`) {
      return answer(401, metaError(190, 'Error validating access token: Session has expired.'));
    }
    const download = /^\/media-download\/([A-Za-z0-9]+)$/.exec(path);
    if (download && req.method === 'GET') {
      // The lookaside URL: the file itself, for the token that asked for its link.
      const file = this.media.get(download[1]!);
      if (!file) return answer(404, metaError(100, 'Not found'));
      res.writeHead(200, { 'content-type': file.mimeType, 'content-length': file.bytes.length });
      res.end(file.bytes);
      return;
    }
    const match = /^\/v\d+\.\d\/(\d+)(\/messages|\/media)?$/.exec(path);
    if (match && match[1] !== CLOUD_PHONE_NUMBER_ID && !match[2] && req.method === 'GET') {
      // GET /<media id>: where to download it (valid five minutes), its type, hash and size.
      const file = this.media.get(match[1]!);
      if (!file) {
        return answer(400, metaError(100, '(#100) Invalid parameter: media id does not exist'));
      }
      return answer(200, {
        messaging_product: 'whatsapp',
        url: `${this.#url}/media-download/${match[1]}`,
        mime_type: file.mimeType,
        sha256: createHash('sha256').update(file.bytes).digest('hex'),
        file_size: String(file.bytes.length),
        id: match[1],
      });
    }
    if (!match || match[1] !== CLOUD_PHONE_NUMBER_ID) {
      return answer(400, metaError(100, 'Unsupported request: object does not exist'));
    }
    if (req.method === 'POST' && match[2] === '/media')
      return this.#upload(req, Buffer.concat(chunks), answer);
    if (req.method === 'GET' && !match[2]) {
      return answer(200, {
        display_phone_number: CLOUD_DISPLAY_NUMBER,
        verified_name: 'Straatpraat',
        id: CLOUD_PHONE_NUMBER_ID,
      });
    }
    if (req.method !== 'POST' || !match[2]) return answer(400, metaError(100, 'Unsupported request'));
    let body: Json;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return answer(400, metaError(100, 'Invalid JSON'));
    }
    const problem = checkMessage(body, this.templates, this.media);
    const to = String(body.to ?? body.recipient ?? '');
    if (problem) {
      this.violations.push(problem);
      return answer(400, metaError(100, `(#100) Invalid parameter: ${problem}`));
    }
    const failure = this.#failures.find((f) => !f.to || f.to === to);
    if (failure) {
      failure.times = (failure.times ?? 1) - 1;
      if (failure.times <= 0) this.#failures.splice(this.#failures.indexOf(failure), 1);
      return answer(
        failure.status ?? 400,
        metaError(failure.code, failure.message ?? `(#${failure.code}) scripted`),
      );
    }
    const wamid = this.#wamid();
    const last = this.#lastInbound.get(to);
    const closed = body.type !== 'template' && (last === undefined || Date.now() - last > 24 * 3600 * 1000);
    if (closed && this.window === 'http') {
      return answer(400, metaError(131047, '(#131047) Re-engagement message'));
    }
    if (closed && this.window === 'status') {
      answer(200, accepted(to, wamid));
      this.#statuses(to, wamid, [
        { status: 'failed', errors: [{ code: 131047, title: 'Re-engagement message' }] },
      ]);
      return;
    }
    this.delivered.push(describe(wamid, to, body));
    answer(200, accepted(to, wamid));
    this.#statuses(
      to,
      wamid,
      this.statusFlow.map((status) => ({ status })),
    );
  }

  /**
   * POST /<phone number id>/media, multipart: `messaging_product` whatsapp, `type` and `file`.
   * Images are JPEG or PNG up to 5 MB; the answer is the media id.
   */
  #upload(req: IncomingMessage, body: Buffer, answer: (status: number, body: Json) => void) {
    const type = String(req.headers['content-type'] ?? '');
    if (!type.startsWith('multipart/form-data'))
      return answer(400, metaError(100, '(#100) file is required'));
    const parts = parseMultipart(body, type);
    const field = (name: string) => parts.find((p) => p.name === name);
    const file = field('file');
    if (field('messaging_product')?.data.toString() !== 'whatsapp')
      return answer(400, metaError(100, '(#100) The parameter messaging_product is required.'));
    if (!file || file.filename === undefined)
      return answer(400, metaError(100, '(#100) The parameter file is required.'));
    const mimeType = field('type')?.data.toString() ?? file.type ?? '';
    const bytes = file.data;
    if (!['image/jpeg', 'image/png'].includes(mimeType)) {
      this.violations.push(`upload of type ${mimeType}`);
      return answer(400, metaError(131053, '(#131053) Media upload error: unsupported file type'));
    }
    if (bytes.length > 5 * 1024 * 1024)
      return answer(400, metaError(131053, '(#131053) Media upload error: file too large'));
    const id = String(1_000_000_000_000 + this.media.size + 1);
    this.media.set(id, { bytes, mimeType, upload: true });
    answer(200, { id });
  }

  #statuses(to: string, wamid: string, list: Json[]): void {
    if (!this.webhookUrl || list.length === 0) return;
    let statuses = list.map((s, i) => ({
      id: wamid,
      timestamp: String(Math.floor(Date.now() / 1000) + i),
      recipient_id: to,
      ...s,
    }));
    if (this.shuffleStatuses) statuses = [...statuses].reverse().flatMap((s) => [s, s]);
    const send = (async () => {
      // Meta answers the send first and reports a moment later.
      await new Promise((r) => setTimeout(r, 20));
      for (const status of statuses) {
        await this.post(webhookCall({ statuses: [status] })).catch(() => undefined);
      }
    })();
    this.#pending.add(send);
    void send.finally(() => this.#pending.delete(send));
  }
}

/** Meta's signature of a body. */
export function sign(raw: string | Buffer, secret = CLOUD_APP_SECRET): string {
  return `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;
}

function messageCall(waId: string, userId: string | undefined, message: Json): Json {
  return webhookCall({
    contacts: [{ profile: { name: 'Bewoner' }, wa_id: waId, ...(userId ? { user_id: userId } : {}) }],
    messages: [{ from: waId, ...(userId ? { from_user_id: userId } : {}), ...message }],
  });
}

/** A webhook call as Meta makes it: one change of the `messages` field for our phone number. */
function webhookCall(value: Record<string, unknown>): Json {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '31431234567', phone_number_id: CLOUD_PHONE_NUMBER_ID },
              ...value,
            },
          },
        ],
      },
    ],
  };
}

function metaError(code: number, message: string): Json {
  return {
    error: {
      message,
      type: 'OAuthException',
      code,
      error_data: { messaging_product: 'whatsapp', details: message },
      fbtrace_id: 'AfakeTrace0123',
    },
  };
}

function accepted(to: string, wamid: string): Json {
  return { messaging_product: 'whatsapp', contacts: [{ input: to, wa_id: to }], messages: [{ id: wamid }] };
}

function describe(wamid: string, to: string, body: Json): CloudDelivered {
  const type = body.type as CloudDelivered['type'];
  if (type === 'image') {
    const image = body.image as { id: string; caption?: string };
    return {
      wamid,
      to,
      type,
      text: image.caption ?? '',
      buttons: [],
      descriptions: [],
      imageId: image.id,
      payload: body,
    };
  }
  if (type === 'text') {
    return {
      wamid,
      to,
      type,
      text: String((body.text as Json).body),
      buttons: [],
      descriptions: [],
      payload: body,
    };
  }
  if (type === 'template') {
    const t = body.template as {
      name: string;
      language: { code: string };
      components: { parameters: { text: string }[] }[];
    };
    const parameter = t.components[0]!.parameters[0]!.text;
    return {
      wamid,
      to,
      type,
      text: parameter,
      buttons: [],
      descriptions: [],
      template: { name: t.name, language: t.language.code, parameter },
      payload: body,
    };
  }
  const i = body.interactive as Json;
  const action = i.action as Json;
  if (i.type === 'button') {
    const buttons = (action.buttons as { reply: { title: string } }[]).map((b) => b.reply.title);
    return { wamid, to, type, text: String((i.body as Json).text), buttons, descriptions: [], payload: body };
  }
  const rows = (action.sections as { rows: { title: string; description?: string }[] }[]).flatMap(
    (s) => s.rows,
  );
  return {
    wamid,
    to,
    type,
    text: String((i.body as Json).text),
    buttons: rows.map((r) => r.title),
    descriptions: rows.map((r) => r.description ?? ''),
    payload: body,
  };
}

const len = (v: unknown) => (typeof v === 'string' ? [...v].length : -1);

/** Meta's documented limits; returns what is wrong, or undefined. */
function checkMessage(
  body: Json,
  templates: Map<string, Set<string>>,
  media: Map<string, { upload: boolean }>,
): string | undefined {
  if (body.messaging_product !== 'whatsapp') return 'messaging_product must be whatsapp';
  const hasTo = body.to !== undefined;
  const hasRecipient = body.recipient !== undefined;
  if (hasTo === hasRecipient) return 'exactly one of to and recipient';
  if (hasTo && !/^\d{6,20}$/.test(String(body.to))) return 'to is not a phone number';
  if (hasRecipient && !/^[A-Z]{2}\.(?:[A-Z]{3}\.)?[A-Za-z0-9]{1,128}$/.test(String(body.recipient))) {
    return 'recipient is not a business-scoped user id';
  }
  switch (body.type) {
    case 'text': {
      const n = len((body.text as Json | undefined)?.body);
      return n < 1 || n > 4096 ? 'text.body must be 1 to 4096 characters' : undefined;
    }
    case 'interactive':
      return checkInteractive(body.interactive as Json | undefined);
    case 'image': {
      // By the id of an upload to this number (or a link, which straatpraat does not use).
      const image = body.image as Json | undefined;
      if (!image || image.id === undefined) return 'image.id is required';
      if (!media.get(String(image.id))?.upload) return 'image.id is not a media upload of this number';
      if (image.caption !== undefined && (len(image.caption) < 1 || len(image.caption) > 1024))
        return 'image.caption must be 1 to 1024 characters';
      return undefined;
    }
    case 'template': {
      const t = body.template as Json | undefined;
      const languages = templates.get(String(t?.name));
      const code = String((t?.language as Json | undefined)?.code);
      if (!languages?.has(code)) return `template ${String(t?.name)} (${code}) does not exist`;
      const params = ((t?.components as Json[] | undefined) ?? []).flatMap(
        (c) => (c.parameters as Json[] | undefined) ?? [],
      );
      if (params.length !== 1) return 'the template body has one parameter';
      const text = String(params[0]!.text);
      if (/[\n\t]| {5,}/.test(text)) return 'template parameter with new lines, tabs or more than 4 spaces';
      if (len(text) < 1 || len(text) > 1000) return 'template parameter too long';
      return undefined;
    }
    default:
      return `type ${String(body.type)} not used by straatpraat`;
  }
}

function checkInteractive(i: Json | undefined): string | undefined {
  if (!i) return 'interactive missing';
  const bodyLength = len((i.body as Json | undefined)?.text);
  if (bodyLength < 1 || bodyLength > 1024) return 'interactive body.text must be 1 to 1024 characters';
  const action = (i.action ?? {}) as Json;
  if (i.type === 'button') {
    const buttons =
      (action.buttons as { type: string; reply: { id: string; title: string } }[] | undefined) ?? [];
    if (buttons.length < 1 || buttons.length > 3) return 'reply buttons: 1 to 3';
    const titles = new Set<string>();
    const ids = new Set<string>();
    for (const b of buttons) {
      if (b.type !== 'reply') return 'button type must be reply';
      if (len(b.reply.title) < 1 || len(b.reply.title) > 20) return `button title over 20: ${b.reply.title}`;
      if (len(b.reply.id) < 1 || len(b.reply.id) > 256) return 'button id over 256';
      titles.add(b.reply.title);
      ids.add(b.reply.id);
    }
    if (titles.size !== buttons.length || ids.size !== buttons.length)
      return 'button titles and ids must be unique';
    return undefined;
  }
  if (i.type === 'list') {
    if (len(action.button) < 1 || len(action.button) > 20)
      return 'list button text must be 1 to 20 characters';
    const sections = (action.sections as { title?: string; rows: Json[] }[] | undefined) ?? [];
    if (sections.length < 1 || sections.length > 10) return 'list sections: 1 to 10';
    if (sections.length > 1 && sections.some((s) => !s.title)) return 'several sections need titles';
    const rows = sections.flatMap((s) => s.rows);
    if (rows.length < 1 || rows.length > 10) return 'list rows: 1 to 10 in all';
    const ids = new Set<string>();
    for (const r of rows) {
      if (len(r.title) < 1 || len(r.title) > 24) return `row title over 24: ${String(r.title)}`;
      if (r.description !== undefined && len(r.description) > 72) return 'row description over 72';
      if (len(r.id) < 1 || len(r.id) > 200) return 'row id over 200';
      ids.add(String(r.id));
    }
    if (ids.size !== rows.length) return 'row ids must be unique';
    return undefined;
  }
  return `interactive type ${String(i.type)} not used by straatpraat`;
}
