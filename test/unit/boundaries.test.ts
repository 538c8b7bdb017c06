import { execFile } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const biome = path.join(root, 'node_modules', '.bin', 'biome');

interface LintOutcome {
  code: number;
  output: string;
}

/**
 * Writes `source` to a probe file at `relative` (inside the repository, so biome.json's per-folder
 * overrides apply), lints it with the project's own configuration and removes it again.
 */
async function lintProbe(relative: string, source: string): Promise<LintOutcome> {
  const file = path.join(root, relative);
  await writeFile(file, source);
  try {
    await run(biome, ['lint', '--colors=off', relative], { cwd: root });
    return { code: 0, output: '' };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  } finally {
    await rm(file, { force: true });
  }
}

// A probe name per process, so parallel runs never lint each other's files.
const probe = (folder: string) => `${folder}/__boundary_probe_${process.pid}.ts`;

describe('import boundaries (biome noRestrictedImports, run by npm run lint)', () => {
  it('refuses a flow that imports a feature folder', async () => {
    const outcome = await lintProbe(
      probe('flows'),
      "import { Queues } from '../src/queue/queues.js';\n\nexport const probe = Queues;\n",
    );
    expect(outcome.code).not.toBe(0);
    expect(outcome.output).toContain('noRestrictedImports');
    expect(outcome.output).toContain('flows/ are pure');
  });

  it('refuses a flow that imports a library other than zod and @fluent', async () => {
    const outcome = await lintProbe(
      probe('flows/parse'),
      "import { sql } from 'kysely';\n\nexport const probe = sql;\n",
    );
    expect(outcome.code).not.toBe(0);
    expect(outcome.output).toContain('noRestrictedImports');
  });

  it('accepts a flow that imports src/domain, other flows, zod and node builtins', async () => {
    const outcome = await lintProbe(
      probe('flows'),
      [
        "import { readFileSync } from 'node:fs';",
        "import { z } from 'zod';",
        "import { LANGUAGES } from '../src/domain/language.js';",
        "import { JOIN_STEPS } from './state.js';",
        '',
        'export const probe = [readFileSync, z, LANGUAGES, JOIN_STEPS];',
        '',
      ].join('\n'),
    );
    expect(outcome).toEqual({ code: 0, output: '' });
  });

  it("refuses an adapter that imports the app's database schema", async () => {
    const outcome = await lintProbe(
      probe('adapters/whatsapp'),
      "import type { Database } from '../../src/db/schema.js';\n\nexport type Probe = Database;\n",
    );
    expect(outcome.code).not.toBe(0);
    expect(outcome.output).toContain('noRestrictedImports');
    expect(outcome.output).toContain('adapters/ import only the channel contract');
  });

  it('refuses an adapter that imports a flow', async () => {
    const outcome = await lintProbe(
      probe('adapters'),
      "import { converse } from '../flows/conversation.js';\n\nexport const probe = converse;\n",
    );
    expect(outcome.code).not.toBe(0);
    expect(outcome.output).toContain('noRestrictedImports');
  });

  it('accepts an adapter that imports the channel contract, src/domain, the logger and libraries', async () => {
    const outcome = await lintProbe(
      probe('adapters/telegram'),
      [
        "import type { Redis } from 'ioredis';",
        "import type { Logger } from '../../src/log.js';",
        "import type { InboundMessage } from '../../src/domain/messages.js';",
        "import type { ChannelAdapter } from '../channel.js';",
        "import { PermanentSendError } from '../errors.js';",
        '',
        'export type Probe = [Redis, Logger, InboundMessage, ChannelAdapter];',
        'export const probe = PermanentSendError;',
        '',
      ].join('\n'),
    );
    expect(outcome).toEqual({ code: 0, output: '' });
  });

  it('refuses src/domain and src/config importing a feature folder', async () => {
    for (const folder of ['src/domain', 'src/config']) {
      const outcome = await lintProbe(
        probe(folder),
        "import { Outbox } from '../queue/outbox.js';\n\nexport const probe = Outbox;\n",
      );
      expect(outcome.code, folder).not.toBe(0);
      expect(outcome.output).toContain('noRestrictedImports');
    }
  });

  it('refuses src/db importing the queue layer', async () => {
    const outcome = await lintProbe(
      probe('src/db'),
      "import { checkRedis } from '../queue/redis.js';\n\nexport const probe = checkRedis;\n",
    );
    expect(outcome.code).not.toBe(0);
    expect(outcome.output).toContain('noRestrictedImports');
  });

  it('refuses the queue layer importing a feature (the old queue ↔ broadcast cycle)', async () => {
    const outcome = await lintProbe(
      probe('src/queue'),
      "import { QuietHours } from '../broadcast/quiet-hours.js';\n\nexport const probe = QuietHours;\n",
    );
    expect(outcome.code).not.toBe(0);
    expect(outcome.output).toContain('noRestrictedImports');
  });

  it('refuses a CLI command file that imports another command file', async () => {
    const outcome = await lintProbe(
      probe('src/cli/commands'),
      "import * as staff from './staff.js';\n\nexport const probe = staff;\n",
    );
    expect(outcome.code).not.toBe(0);
    expect(outcome.output).toContain('noRestrictedImports');
  });
});
