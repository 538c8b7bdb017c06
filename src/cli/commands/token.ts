import { type Command, InvalidArgumentError, Option } from 'commander';
import { listSessions, revokeSession } from '../../auth/sessions.js';
import {
  API_ROLES,
  type ApiRole,
  createToken,
  DEFAULT_TOKEN_LIFETIME_MS,
  listTokens,
  MAX_TOKEN_LIFETIME_MS,
  revokeToken,
} from '../../auth/tokens.js';
import { parseDuration } from '../../broadcast/duration.js';
import { recordAudit } from '../../desk/audit.js';
import { run } from '../context.js';
import { print } from '../output.js';

const number = (what: string) => (v: string) => {
  if (!/^\d+$/.test(v)) throw new InvalidArgumentError(`expected a ${what}.`);
  return Number(v);
};

/** A token's lifetime as `30d`, `12w` or `8h`: at least a minute, at most 366 days. */
function parseLifetime(v: string): number {
  const ms = parseDuration(v);
  if (!ms || ms > MAX_TOKEN_LIFETIME_MS)
    throw new InvalidArgumentError('expected a lifetime such as 30d, 12w or 8h, at most 366d.');
  return ms;
}

/** `token`: API tokens for the HTTP API and the results page, and the sign-in sessions made with them. */
export function registerTokenCommands(program: Command): void {
  const token = program
    .command('token')
    .description('API tokens for exports, aggregates and the results page');

  token
    .command('create')
    .description('create a token and print it once (only its hash is stored)')
    .addOption(
      new Option('--role <role>', 'what the token may do').choices([...API_ROLES]).makeOptionMandatory(),
    )
    .option('--name <name>', 'who or what the token is for (shown in token list)')
    .option(
      '--expires <lifetime>',
      'how long the token works, e.g. 30d, 12w (at most 366d)',
      parseLifetime,
      DEFAULT_TOKEN_LIFETIME_MS,
    )
    .action((opts: { role: ApiRole; name?: string; expires: number }) =>
      run(async (ctx) => {
        const db = await ctx.db();
        const created = await createToken(db, opts.role, opts.name, opts.expires);
        const expires = created.expiresAt.toISOString();
        await recordAudit(
          db,
          'cli',
          'token.create',
          { tokenId: created.id, role: opts.role, name: opts.name ?? null, expiresAt: expires },
          new Date(),
        );
        // The token alone on stdout, so `$(straatpraat token create …)` captures it; the rest on stderr.
        process.stdout.write(`${created.token}\n`);
        process.stderr.write(
          `token ${created.id} (${opts.role}${opts.name ? `, ${opts.name}` : ''}) created, works until ${expires}; it is shown only now: store it safely.\n`,
        );
      }),
    );

  token
    .command('list')
    .description('list tokens (never their secret): number, role, name, state, expiry, last use')
    .option('--json', 'one JSON array')
    .action((opts: { json?: boolean }) =>
      run(async (ctx) => {
        const db = await ctx.db();
        const now = Date.now();
        const tokens = (await listTokens(db)).map((t) => ({
          id: t.id,
          role: t.role,
          name: t.name,
          state: t.revoked_at ? 'revoked' : t.expires_at.getTime() <= now ? 'expired' : 'active',
          createdAt: t.created_at.toISOString(),
          expiresAt: t.expires_at.toISOString(),
          revokedAt: t.revoked_at?.toISOString() ?? null,
          lastUsedAt: t.last_used_at?.toISOString() ?? null,
        }));
        print(opts.json, tokens, () =>
          tokens.map(
            (t) =>
              `${t.id}\t${t.role}\t${t.name ?? ''}\t${t.state === 'revoked' ? `revoked ${t.revokedAt}` : t.state}\texpires ${t.expiresAt}\tlast used ${t.lastUsedAt ?? 'never'}`,
          ),
        );
      }),
    );

  token
    .command('revoke')
    .description('revoke a token by its number (from token list); its sign-in sessions end too')
    .argument('<id>', 'token number', number('token number from `token list`'))
    .action((id: number) =>
      run(async (ctx) => {
        const db = await ctx.db();
        const revoked = await revokeToken(db, id);
        if (revoked) await recordAudit(db, 'cli', 'token.revoke', { tokenId: id }, new Date());
        process.stdout.write(revoked ? `token ${id} revoked\n` : `no active token ${id}\n`);
        if (!revoked) process.exitCode = 1;
      }),
    );

  token
    .command('sessions')
    .description('list browser sign-ins still running: session number, token number, role, name, start, end')
    .option('--json', 'one JSON array')
    .action((opts: { json?: boolean }) =>
      run(async (ctx) => {
        const db = await ctx.db();
        const sessions = (await listSessions(db)).map((s) => ({
          id: s.id,
          tokenId: s.token_id,
          role: s.role,
          name: s.name,
          since: s.created_at.toISOString(),
          until: s.expires_at.toISOString(),
        }));
        print(opts.json, sessions, () =>
          sessions.map(
            (s) =>
              `${s.id}\ttoken ${s.tokenId}\t${s.role}\t${s.name ?? ''}\tsince ${s.since}\tuntil ${s.until}`,
          ),
        );
      }),
    );

  token
    .command('end-session')
    .description('sign a browser out by its session number (from token sessions)')
    .argument('<id>', 'session number', number('session number from `token sessions`'))
    .action((id: number) =>
      run(async (ctx) => {
        const db = await ctx.db();
        const ended = await revokeSession(db, id);
        if (ended) await recordAudit(db, 'cli', 'session.end', { sessionId: id }, new Date());
        process.stdout.write(ended ? `session ${id} ended\n` : `no running session ${id}\n`);
        if (!ended) process.exitCode = 1;
      }),
    );
}
