import { describe, expect, it } from 'vitest';
import { Metrics } from '../../src/metrics.js';

describe('the Prometheus metrics of a process', () => {
  it('include the default process metrics under the straatpraat_ prefix', async () => {
    const text = await new Metrics().registry.metrics();
    for (const name of [
      'straatpraat_process_cpu_user_seconds_total',
      'straatpraat_process_resident_memory_bytes',
      'straatpraat_nodejs_eventloop_lag_seconds',
      'straatpraat_nodejs_heap_size_used_bytes',
    ]) {
      expect(text).toMatch(new RegExp(`^${name} `, 'm'));
    }
    expect(text).not.toMatch(/^(process|nodejs)_/m);
  });
});
