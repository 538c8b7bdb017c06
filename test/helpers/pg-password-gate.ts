import { createHash, createHmac, pbkdf2Sync, timingSafeEqual } from 'node:crypto';
import net from 'node:net';
import pg from 'pg';

/**
 * A front for the test PostgreSQL that asks every client for its password and checks it against the
 * role's stored SCRAM verifier (pg_authid), as the server does with `password` in pg_hba.conf. The
 * test server trusts connections from this machine, so a wrong password would get in; behind this
 * gate it is refused with the server's own error (SQLSTATE 28P01). A good password is let through to
 * the real server, which then serves the session.
 */
export async function startPasswordGate(
  upstream: { host: string; port: number },
  superuserUrl: string,
): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    let buffered = Buffer.alloc(0);
    let startup: Buffer | undefined;
    let user = '';
    const onData = (chunk: Buffer): void => {
      buffered = Buffer.concat([buffered, chunk]);
      if (!startup) {
        if (buffered.length < 4) return;
        const length = buffered.readInt32BE(0);
        if (buffered.length < length) return;
        startup = buffered.subarray(0, length);
        buffered = buffered.subarray(length);
        user = startupParams(startup).get('user') ?? '';
        // AuthenticationCleartextPassword
        client.write(Buffer.from([0x52, 0, 0, 0, 8, 0, 0, 0, 3]));
      }
      if (buffered.length < 5) return;
      const length = buffered.readInt32BE(1);
      if (buffered.length < 1 + length) return;
      const password = buffered.subarray(5, 1 + length - 1).toString('utf8');
      const rest = buffered.subarray(1 + length);
      client.off('data', onData);
      client.pause();
      void storedVerifier(superuserUrl, user).then((verifier) => {
        if (!verifier || !scramMatches(verifier, password)) {
          client.end(errorResponse('28P01', `password authentication failed for user "${user}"`));
          return;
        }
        const server = net.connect(upstream, () => {
          server.write(startup!);
          if (rest.length > 0) server.write(rest);
          client.pipe(server);
          server.pipe(client);
          client.resume();
        });
        sockets.add(server);
        server.on('close', () => sockets.delete(server));
        server.on('error', () => client.destroy());
      });
    };
    client.on('data', onData);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function startupParams(message: Buffer): Map<string, string> {
  const parts = message.subarray(8).toString('utf8').split('\0');
  const params = new Map<string, string>();
  for (let i = 0; i + 1 < parts.length; i += 2) if (parts[i]) params.set(parts[i]!, parts[i + 1]!);
  return params;
}

function errorResponse(code: string, message: string): Buffer {
  const fields = Buffer.from(`SFATAL\0VFATAL\0C${code}\0M${message}\0\0`, 'utf8');
  const head = Buffer.alloc(5);
  head.write('E', 0);
  head.writeInt32BE(4 + fields.length, 1);
  return Buffer.concat([head, fields]);
}

async function storedVerifier(superuserUrl: string, user: string): Promise<string | undefined> {
  const admin = new pg.Client({ connectionString: superuserUrl });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ rolpassword: string | null }>(
      'select rolpassword from pg_authid where rolname = $1 and rolcanlogin',
      [user],
    );
    return rows[0]?.rolpassword ?? undefined;
  } finally {
    await admin.end();
  }
}

/** SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>, as PostgreSQL stores a password. */
function scramMatches(verifier: string, password: string): boolean {
  const m = /^SCRAM-SHA-256\$(\d+):([^$]+)\$([^:]+):(.+)$/.exec(verifier);
  if (!m) return false;
  const salted = pbkdf2Sync(password, Buffer.from(m[2]!, 'base64'), Number(m[1]), 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const expected = Buffer.from(m[3]!, 'base64');
  return expected.length === storedKey.length && timingSafeEqual(expected, storedKey);
}
