import { z } from 'zod';

/** A Graph API answer that was not a success, with Meta's error code (e.g. 131047, 130429, 190). */
export class GraphError extends Error {
  override readonly name = 'GraphError';
  /** The HTTP status. */
  readonly status: number;
  /** Meta's `error.code`; undefined when the body was not Meta's error JSON (a proxy's 502 page). */
  readonly code: number | undefined;
  constructor(status: number, code: number | undefined, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** GET /<media id>: where a resident's file can be downloaded (for five minutes), and what it is. */
const MediaInfoSchema = z.looseObject({
  url: z.url(),
  mime_type: z.string().max(200),
  // Documented as a number, sent as a string by some versions.
  file_size: z.coerce.number().int().nonnegative().optional(),
});

const UploadAnswerSchema = z.looseObject({ id: z.string().min(1).max(512) });

/** The network or the API did not answer at all (timeout, refused connection, DNS). */
export class GraphUnreachableError extends Error {
  override readonly name = 'GraphUnreachableError';
}

const ErrorBodySchema = z.looseObject({
  error: z.looseObject({
    code: z.number().int(),
    // Meta's title, e.g. "(#131047) Re-engagement message". Details are left out: they may quote input.
    message: z.string().max(2000).optional(),
  }),
});

const SendAnswerSchema = z.looseObject({
  messages: z.array(z.looseObject({ id: z.string().min(1).max(512) })).min(1),
});

const PhoneNumberSchema = z.looseObject({
  display_phone_number: z.string().max(64).optional(),
  verified_name: z.string().max(256).optional(),
});

export interface GraphOptions {
  /** e.g. `https://graph.facebook.com`, or a local fake in tests. */
  root: string;
  /** e.g. `v23.0`. */
  version: string;
  phoneNumberId: string;
  token: string;
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 20_000;

/**
 * The few Graph API calls the Cloud API channel makes, on Node's own `fetch`: sending a message and
 * reading the business number. Errors carry Meta's code and title, never the request (it holds the
 * recipient) and never the URL's token (the token goes in a header).
 */
export class GraphClient {
  readonly #opts: GraphOptions;
  readonly #base: string;

  constructor(opts: GraphOptions) {
    this.#opts = opts;
    this.#base = `${opts.root.replace(/\/+$/, '')}/${opts.version}/${opts.phoneNumberId}`;
  }

  /** POST /<phone number id>/messages; returns Meta's message id (`wamid.…`). */
  async sendMessage(body: Record<string, unknown>): Promise<string> {
    const answer = await this.#call('POST', '/messages', body);
    const parsed = SendAnswerSchema.safeParse(answer);
    if (!parsed.success)
      throw new GraphError(200, undefined, 'whatsapp cloud: send answer without a message id');
    return parsed.data.messages[0]!.id;
  }

  /**
   * POST /<phone number id>/media (multipart: `messaging_product`, `type`, `file`): uploads a
   * picture once; the id it returns is sent with `type: image` to everyone (Meta keeps it 30 days).
   */
  async uploadMedia(bytes: Buffer, mimeType: string, fileName: string): Promise<string> {
    const form = new FormData();
    form.append('messaging_product', 'whatsapp');
    form.append('type', mimeType);
    form.append('file', new Blob([new Uint8Array(bytes)], { type: mimeType }), fileName);
    const parsed = UploadAnswerSchema.safeParse(await this.#call('POST', '/media', form));
    if (!parsed.success) throw new GraphError(200, undefined, 'whatsapp cloud: upload answer without an id');
    return parsed.data.id;
  }

  /** GET /<media id>: the download link of a file a resident sent, its type and size. */
  async mediaInfo(mediaId: string): Promise<{ url: string; mimeType: string; size?: number }> {
    const root = `${this.#opts.root.replace(/\/+$/, '')}/${this.#opts.version}`;
    const parsed = MediaInfoSchema.safeParse(
      await this.#call('GET', '', undefined, `${root}/${encodeURIComponent(mediaId)}`),
    );
    if (!parsed.success) throw new GraphError(200, undefined, 'whatsapp cloud: media answer without a url');
    const { url, mime_type, file_size } = parsed.data;
    return { url, mimeType: mime_type, ...(file_size !== undefined && { size: file_size }) };
  }

  /** GET <media url> with the token, as Meta requires: the file itself. */
  async download(url: string, signal?: AbortSignal): Promise<Response> {
    try {
      return await fetch(url, {
        headers: { authorization: `Bearer ${this.#opts.token}` },
        signal: signal ?? AbortSignal.timeout(this.#opts.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      });
    } catch (error) {
      throw new GraphUnreachableError(`whatsapp cloud media unreachable: ${(error as Error).name}`);
    }
  }

  /** The business number as WhatsApp shows it, to check the configuration at start. */
  async phoneNumber(): Promise<{ display: string | undefined }> {
    const answer = PhoneNumberSchema.safeParse(
      await this.#call('GET', '?fields=display_phone_number,verified_name'),
    );
    return { display: answer.success ? answer.data.display_phone_number : undefined };
  }

  async #call(method: 'GET' | 'POST', path: string, body?: unknown, url?: string): Promise<unknown> {
    let response: Response;
    // A form (an upload) sets its own multipart content type.
    const form = body instanceof FormData;
    try {
      response = await fetch(url ?? `${this.#base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.#opts.token}`,
          ...(body !== undefined && !form ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: form ? body : JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(this.#opts.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      });
    } catch (error) {
      const reason = (error as Error).name === 'TimeoutError' ? 'timed out' : (error as Error).message;
      throw new GraphUnreachableError(`whatsapp cloud api unreachable: ${reason}`);
    }
    const text = await response.text().catch(() => '');
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (response.ok) return json;
    const error = ErrorBodySchema.safeParse(json);
    if (!error.success) {
      throw new GraphError(
        response.status,
        undefined,
        `whatsapp cloud ${response.status}: not a Graph API answer`,
      );
    }
    const { code, message } = error.data.error;
    throw new GraphError(response.status, code, `whatsapp cloud ${code}: ${(message ?? '').slice(0, 200)}`);
  }
}
