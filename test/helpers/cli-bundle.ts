import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * The CLI compiled once for a test run. Every `node bin/straatpraat.js` through tsx transpiles and
 * loads the source tree again (1–2 s a spawn on two cores); the e2e files spawn the CLI hundreds of
 * times, so the suite runs a bundle of the same sources instead. test/e2e/cli-startup.test.ts keeps
 * running bin/straatpraat.js itself, so the shipped entry stays covered.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ENTRY = join(ROOT, 'src/cli/main.ts');

/** The environment variable naming the bundle's entry for the test processes (see helpers/cli.ts). */
export const CLI_BUNDLE_VAR = 'STRAATPRAAT_TEST_CLI';

/**
 * Bundles src/cli/main.ts into `dist/test-cli/<run>/`, next to node_modules so the packages left
 * external (see {@link externalPackages}) resolve as they do from the sources. Each module's `import.meta.url` is replaced by its
 * source file's URL, so the files found relative to a module (flows/i18n, flows/polls, config/,
 * data/, the desk's static files, package.json) are the checkout's own. Lazy command groups stay
 * lazy: dynamic imports become separate chunks. Returns the entry file and a function removing it.
 */
export async function buildCliBundle(): Promise<{ entry: string; remove: () => Promise<void> }> {
  const { build } = await import('esbuild');
  const parent = join(ROOT, 'dist', 'test-cli');
  await removeAbandoned(parent);
  const dir = join(parent, `${process.pid}-${Date.now().toString(36)}`);
  await build({
    // The same start as bin/straatpraat.js: the `.env` (unless STRAATPRAAT_DOTENV=off) is read
    // before any module reads process.env, so the CLI is imported after it.
    stdin: {
      contents: [
        "import { existsSync } from 'node:fs';",
        "if (process.env.STRAATPRAAT_DOTENV !== 'off' && existsSync('.env')) process.loadEnvFile('.env');",
        `await import(${JSON.stringify(ENTRY)});`,
      ].join('\n'),
      resolveDir: ROOT,
      sourcefile: 'straatpraat-test-entry.js',
      loader: 'js',
    },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: await externalPackages(),
    outdir: dir,
    entryNames: 'straatpraat',
    logLevel: 'warning',
    plugins: [
      {
        name: 'source-import-meta-url',
        setup(b) {
          b.onLoad({ filter: /\.ts$/ }, async (args) => {
            const source = await readFile(args.path, 'utf8');
            const url = JSON.stringify(pathToFileURL(args.path).href);
            return { contents: source.replaceAll('import.meta.url', url), loader: 'ts' };
          });
        },
      },
    ],
  });
  return {
    entry: join(dir, 'straatpraat.js'),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/**
 * Packages Node loads as usual, from node_modules: all dependencies but a few pure-ESM ones made of
 * hundreds of small files (kysely alone is 263 modules), which Node would otherwise resolve, read and
 * compile one by one in every CLI process.
 */
const INLINED = ['kysely', 'zod', 'libphonenumber-js', 'date-holidays', '@fluent/bundle'];

async function externalPackages(): Promise<string[]> {
  const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
  };
  return Object.keys({ ...pkg.dependencies, ...pkg.devDependencies })
    .filter((name) => !INLINED.includes(name))
    .flatMap((name) => [name, `${name}/*`]);
}

/** Bundles left by runs that were stopped before their teardown: their process is gone. */
async function removeAbandoned(parent: string): Promise<void> {
  const names = await readdir(parent).catch(() => [] as string[]);
  for (const name of names) {
    const pid = Number(name.split('-')[0]);
    if (Number.isInteger(pid) && pid > 0 && alive(pid)) continue;
    await rm(join(parent, name), { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
