import { broadcastScenario } from './broadcast.js';
import { exportScenario } from './export.js';
import { locksScenario } from './locks.js';
import { pipelineScenario } from './pipeline.js';
import { report, type ScenarioResult } from './report.js';
import { scaleScenario } from './scale.js';

/**
 * `npm run bench [-- pipeline|broadcast|export|locks|scale]`: each figure beside a baseline measured in the same
 * run, because this machine is shared and noisy. Never a pass/fail: targets are printed alongside.
 */
const scenarios: Record<string, () => Promise<ScenarioResult>> = {
  pipeline: () => pipelineScenario({ residents: 2000, rounds: 3, offeredRate: 500 }),
  broadcast: () => broadcastScenario({ residents: 100_000, deliverSeconds: 60 }),
  export: () => exportScenario({ answers: 1_000_000 }),
  locks: () => locksScenario(),
  scale: () => scaleScenario({ residents: 1000, rounds: 3, offeredRate: 500, processes: [1, 2, 4] }),
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = wanted.filter((w) => !(w in scenarios));
if (unknown.length > 0) {
  process.stderr.write(
    `unknown scenario ${unknown.join(', ')}; available: ${Object.keys(scenarios).join(', ')}\n`,
  );
  process.exit(2);
}
for (const name of wanted.length > 0 ? wanted : Object.keys(scenarios)) {
  const started = Date.now();
  process.stderr.write(`running ${name}…\n`);
  const result = await scenarios[name]!();
  process.stdout.write(
    `${report(result)}\n\n(${name} took ${((Date.now() - started) / 1000).toFixed(0)} s)\n\n`,
  );
}
process.exit(0);
