import { request } from 'node:http';

/** An HTTP answer as a test reads it. */
export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** The `name=value` parts of every Set-Cookie header. */
  cookies: string[];
}

/**
 * One request on a connection of its own, closed afterwards (no pooled keep-alive connections
 * that would count against the server's connection cap), with exactly the headers given: no
 * Origin unless the test sets one, as a script or a server would send it.
 */
export function rawRequest(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: opts.method ?? 'GET', headers: opts.headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        body += d;
      });
      res.on('end', () => {
        const setCookie = res.headers['set-cookie'] ?? [];
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body,
          cookies: setCookie.map((c) => c.split(';')[0]!),
        });
      });
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** A form body as a browser sends it. */
export function form(fields: Record<string, string>): {
  body: string;
  headers: Record<string, string>;
} {
  return {
    body: new URLSearchParams(fields).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  };
}
