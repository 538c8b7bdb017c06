/** One part of a multipart/form-data body. */
export interface FormPart {
  name: string;
  filename?: string;
  type?: string;
  data: Buffer;
}

/**
 * Parses multipart/form-data as servers do (RFC 7578): header names in any case, with or without a
 * space after the colon, values quoted or not (grammY writes `content-disposition:form-data;name="x"`
 * and `filename=x.jpg`, which Node's own `Response.formData()` refuses).
 */
export function parseMultipart(body: Buffer, contentType: string): FormPart[] {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  if (!boundary) throw new Error('multipart without a boundary');
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const parts: FormPart[] = [];
  let start = body.indexOf(delimiter);
  while (start >= 0) {
    const from = start + delimiter.length;
    if (body.subarray(from, from + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, from);
    if (next < 0) break;
    // Between "\r\n" after the delimiter and "\r\n" before the next one.
    const raw = body.subarray(from + 2, next - 2);
    const split = raw.indexOf('\r\n\r\n');
    const head = raw.subarray(0, split).toString('utf8');
    const data = raw.subarray(split + 4);
    const headers = new Map(
      head.split('\r\n').map((line) => {
        const colon = line.indexOf(':');
        return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()] as const;
      }),
    );
    const disposition = headers.get('content-disposition') ?? '';
    // Quoted or not: grammY writes `filename=photo.jpg`.
    const value = (key: string) => {
      const m = new RegExp(`(?:^|;)\\s*${key}=(?:"([^"]*)"|([^;\\s]+))`).exec(disposition);
      return m ? (m[1] ?? m[2]) : undefined;
    };
    const name = value('name') ?? '';
    const filename = value('filename');
    const type = headers.get('content-type');
    parts.push({
      name,
      data: Buffer.from(data),
      ...(filename !== undefined && { filename }),
      ...(type && { type }),
    });
    start = next;
  }
  return parts;
}
