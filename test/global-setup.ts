import { buildCliBundle, CLI_BUNDLE_VAR } from './helpers/cli-bundle.js';

// Runs once per `vitest run`, in the main process, before any worker starts: the workers inherit
// the environment variable naming the bundle, so no two of them build it.
export default async function setup(): Promise<() => Promise<void>> {
  const bundle = await buildCliBundle();
  process.env[CLI_BUNDLE_VAR] = bundle.entry;
  return async () => {
    await bundle.remove();
  };
}
