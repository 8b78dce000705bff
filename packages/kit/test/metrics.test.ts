import { describe, expect, it } from 'vitest';
import { createMetrics } from '../src/metrics.ts';

describe('kit metrics', () => {
  it('uses Prometheus names: warmcast_ prefix, snake case, counters end in _total, units in the name', async () => {
    const m = createMetrics();
    const names = (await m.registry.getMetricsAsJSON()).map((x) => ({ name: x.name, type: String(x.type) }));
    expect(names.map((x) => x.name).sort()).toEqual([
      'warmcast_consumer_lag_messages', 'warmcast_handler_duration_seconds', 'warmcast_handler_retries_total',
      'warmcast_messages_consumed_total', 'warmcast_messages_deadlettered_total', 'warmcast_messages_produced_total',
    ]);
    for (const { name, type } of names) {
      expect(name).toMatch(/^warmcast_[a-z]+(_[a-z]+)*$/);
      if (type === 'counter') expect(name).toMatch(/_total$/);
      if (type === 'histogram') expect(name).toMatch(/_seconds$/);
    }
  });

  it('never labels by user or key (bounded labels only)', async () => {
    const m = createMetrics();
    const bounded = new Set(['topic', 'partition', 'reason']);
    m.consumed.inc({ topic: 't' });
    m.deadLettered.inc({ topic: 't', reason: 'DECODE_FAILED' });
    m.consumerLag.set({ topic: 't', partition: '0' }, 3);
    m.handlerSeconds.observe({ topic: 't' }, 0.01);
    for (const metric of await m.registry.getMetricsAsJSON()) {
      for (const v of metric.values) for (const label of Object.keys(v.labels)) {
        if (label === 'le') continue; // histogram bucket bound
        expect(bounded.has(label), `${metric.name} label ${label}`).toBe(true);
      }
    }
  });

  it('renders the exposition text', async () => {
    const m = createMetrics();
    m.produced.inc({ topic: 'exec.request.received.v1' }, 3);
    expect(await m.registry.metrics()).toContain('warmcast_messages_produced_total{topic="exec.request.received.v1"} 3');
  });
});
