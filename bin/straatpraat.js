#!/usr/bin/env node
// Runs the CLI from the TypeScript sources (through tsx) in a checkout, or from the build in an image.
import { existsSync } from 'node:fs';

// A `.env` in the working directory fills in the settings the environment leaves out; variables set
// in the environment itself win. Loaded before anything reads process.env, so every command sees it.
// STRAATPRAAT_DOTENV=off skips it (the test suite, so a developer's own .env never reaches a test).
if (process.env.STRAATPRAAT_DOTENV !== 'off' && existsSync('.env')) process.loadEnvFile('.env');

const source = new URL('../src/cli/main.ts', import.meta.url);
const built = new URL('../dist/src/cli/main.js', import.meta.url);

if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(source.href);
} else {
  await import(built.href);
}
