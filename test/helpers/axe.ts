import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { ROOT } from './cli.js';

/** Debian's Chromium: the browser tests use it rather than downloading one. */
export const CHROMIUM = '/usr/bin/chromium';

/** Where browser tests keep their screenshots. */
export const ARTIFACTS = join(ROOT, 'test-artifacts');

/** The rules a page must pass: WCAG 2.1 level A and AA. */
export const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] as const;

/**
 * Starts headless Chromium with the flags the browser tests use. Not a skip when it is missing: the
 * browser tests are part of the acceptance, and CI installs Chromium (.ci/run).
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `Chromium is not installed at ${CHROMIUM}: install Debian's package (apt-get install chromium) or run .ci/run, which does.`,
    );
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

let axeSource: string | undefined;
function axeScript(): string {
  if (axeSource === undefined) {
    const require = createRequire(import.meta.url);
    axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  }
  return axeSource;
}

/** One rule a page breaks, as the failure lists it. */
export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * Runs axe-core in the page at WCAG 2.1 A/AA and returns what it finds. A `<script>` tag with axe's
 * source (`addScriptTag`) would be refused by the pages' strict Content-Security-Policy, and the tests
 * keep that policy on (`bypassCSP` would hide a page that needs an inline script); so the source is
 * evaluated through DevTools, which a page's policy does not govern.
 */
export async function runAxe(page: Page): Promise<AxeViolation[]> {
  const loaded = await page.evaluate(() => typeof (globalThis as { axe?: unknown }).axe !== 'undefined');
  if (!loaded) await page.evaluate(axeScript());
  const tags = [...WCAG_21_AA];
  return page.evaluate(async (runOnly) => {
    type Result = {
      violations: {
        id: string;
        impact: string | null;
        help: string;
        nodes: { target: unknown[] }[];
      }[];
    };
    const axe = (globalThis as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<Result> } }).axe;
    const result = await axe.run((globalThis as unknown as { document: unknown }).document, {
      runOnly: { type: 'tag', values: runOnly },
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => n.target.map(String).join(' ')),
    }));
  }, tags);
}

/** A readable list of violations: rule, impact, what it means, and up to five elements per rule. */
export function describeViolations(violations: readonly AxeViolation[]): string {
  return violations
    .map((v) => {
      const shown = v.targets.slice(0, 5).map((t) => `    - ${t}`);
      const more = v.targets.length > 5 ? [`    … and ${v.targets.length - 5} more`] : [];
      return [`${v.id} (${v.impact ?? 'n/a'}, ${v.targets.length}×): ${v.help}`, ...shown, ...more].join(
        '\n',
      );
    })
    .join('\n');
}

/**
 * Fails when axe-core finds any WCAG 2.1 A/AA violation on the page as it is now, listing each rule
 * with the elements that break it. `where` names the page in the message.
 */
export async function expectNoAxeViolations(page: Page, where: string): Promise<void> {
  const violations = await runAxe(page);
  if (violations.length > 0) {
    const count = violations.reduce((n, v) => n + v.targets.length, 0);
    throw new Error(
      `axe-core: ${count} WCAG 2.1 A/AA violation(s) on ${where} (${page.url()}):\n${describeViolations(violations)}`,
    );
  }
}

/** Saves a full-page screenshot to test-artifacts/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
