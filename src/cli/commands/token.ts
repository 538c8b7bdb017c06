import { type Command, InvalidArgumentError, Option } from 'commander';
import { API_ROLES, type ApiRole, createToken, listTokens, revokeToken } from '../../auth/tokens.js';
import { parseEnv } from '../../config/env.js';
import { recordAudit } from '../../desk/audit.js';
import { guarded } from '../guarded.js';
import { openDatabase } from './export.js';

/** `token`: API tokens for the HTTP API and the results page. */
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
    .action((opts: { role: ApiRole; name?: string }) =>
      guarded(async () => {
        const db = await openDatabase(parseEnv());
        try {
          const created = await createToken(db, opts.role, opts.name);
          await recordAudit(
            db,
            'cli',
            'token.create',
            { tokenId: created.id, role: opts.role, name: opts.name ?? null },
            new Date(),
          );
          // The token alone on stdout, so `$(straatpraat token create …)` captures it; the rest on stderr.
          process.stdout.write(`${created.token}\n`);
          process.stderr.write(
            `token ${created.id} (${opts.role}${opts.name ? `, ${opts.name}` : ''}) created; it is shown only now: store it safely.\n`,
          );
        } finally {
          await db.destroy();
        }
      }),
    );

  token
    .command('list')
    .description('list tokens (never their secret)')
    .action(() =>
      guarded(async () => {
        const db = await openDatabase(parseEnv());
        try {
          for (const t of await listTokens(db)) {
            const state = t.revoked_at ? `revoked ${t.revoked_at.toISOString()}` : 'active';
            const used = t.last_used_at ? t.last_used_at.toISOString() : 'never';
            process.stdout.write(`${t.id}\t${t.role}\t${t.name ?? ''}\t${state}\tlast used ${used}\n`);
          }
        } finally {
          await db.destroy();
        }
      }),
    );

  token
    .command('revoke')
    .description('revoke a token by its number (from token list)')
    .argument('<id>', 'token number', (v: string) => {
      if (!/^\d+$/.test(v)) throw new InvalidArgumentError('expected a token number from `token list`.');
      return Number(v);
    })
    .action((id: number) =>
      guarded(async () => {
        const db = await openDatabase(parseEnv());
        try {
          const revoked = await revokeToken(db, id);
          if (revoked) await recordAudit(db, 'cli', 'token.revoke', { tokenId: id }, new Date());
          process.stdout.write(revoked ? `token ${id} revoked\n` : `no active token ${id}\n`);
          if (!revoked) process.exitCode = 1;
        } finally {
          await db.destroy();
        }
      }),
    );
}
