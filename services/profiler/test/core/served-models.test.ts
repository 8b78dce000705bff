// The profiler serving a published combiner version: candidate wiring, the minute it applies from,
// late arrivals, and restore equality. Pure: no broker, the version trained in-process.
import { describe, expect, it } from 'vitest';
import type { NormalizedEvent } from '@warmcast/kit';
import type { CombinerVersion } from '@warmcast/forecast';
import { PartitionProfiler } from '../../src/core/partition-profiler.ts';
import type { TickOutput } from '../../src/core/partition-profiler.ts';
import { profilerOptions } from '../../src/core/options.ts';
import { ServedModels } from '../../src/core/served-models.ts';
import { generateEvents, START } from '../fixtures/events.ts';
import { trainedCombiner } from '../fixtures/models.ts';

const opts = profilerOptions({ generationMinutes: 180, scoreEveryTicks: 2, evictAfterMs: 6 * 3_600_000 });
const events = generateEvents({ users: 30, minutes: 240, seed: 7 });
const M0 = START / 60_000;
/** trained on the first 2 hours, effective at minute 150 */
const model = trainedCombiner(events, M0 + 119, M0 + 150);

function run(p: PartitionProfiler, evs: readonly NormalizedEvent[], from = 0, to = evs.length): TickOutput[] {
  const out: TickOutput[] = [];
  for (let i = from; i < to; i++) out.push(...p.fold(evs[i] as NormalizedEvent, i));
  return out;
}
const forecasts = (ticks: readonly TickOutput[]): Map<string, string> => new Map(ticks.flatMap((t) => t.forecasts.map((f) => [`${f.userKey}@${f.tickTime}`, JSON.stringify(f)] as const)));
const minuteOf = (key: string): number => Number(key.split('@')[1]) / 60_000;

describe('ServedModels', () => {
  it('applies a version from its effective minute, a late one from the next tick; known and bad ones are not applied', () => {
    const s = new ServedModels();
    expect(s.served).toBeUndefined();
    expect(s.offer(model, undefined)).toEqual({ outcome: 'applied' });
    expect(s.offer(model, M0 + 200)).toEqual({ outcome: 'known' });
    const v2: CombinerVersion = { ...model, version: model.version + 60, effectiveFromMinute: M0 + 180 };
    expect(s.offer(v2, M0 + 185)).toEqual({ outcome: 'late' });
    expect(s.recorded()).toEqual([[model.version, M0 + 150], [v2.version, M0 + 185]]);
    const bad = s.offer({ ...model, version: 1, coefficientsByBand: [[1]] }, M0);
    expect(bad.outcome).toBe('rejected');
    expect(bad.problem).toMatch(/coefficientsByBand has 1 rows, must have 3/);
    const other = s.offer({ ...model, version: 2, hourOfDay: true, featureNames: [...model.featureNames, 'hour sin', 'hour cos'], coefficientsByBand: [[], [], []] }, M0);
    expect(other).toMatchObject({ outcome: 'rejected', problem: expect.stringMatching(/differ from version/) });
    expect(s.served?.versions.map((a) => [a.model.version, a.fromMinute])).toEqual([[model.version, M0 + 150], [v2.version, M0 + 185]]);
  });

  it('a restored record wins over the arrival time: the same fromMinute whenever the version comes', () => {
    const s = new ServedModels();
    s.restore([[model.version, M0 + 163]], M0 + 100);
    expect(s.served).toBeUndefined(); // recorded, coefficients not offered yet
    expect(s.offer(model, M0 + 170)).toEqual({ outcome: 'applied' });
    expect(s.served?.versions.map((a) => a.fromMinute)).toEqual([M0 + 163]);
  });
});

describe('PartitionProfiler with a served combiner', () => {
  const plain = forecasts(run(new PartitionProfiler(0, opts), events));
  const withModel = (): PartitionProfiler => {
    const p = new PartitionProfiler(0, opts);
    expect(p.offerCombiner(model).outcome).toBe('applied');
    return p;
  };
  const served = forecasts(run(withModel(), events));

  it('forecasts before effectiveFromMinute are exactly the ones without it; after it they differ, and the combiner is chosen for some users', () => {
    expect(served.size).toBe(plain.size);
    const before = [...plain.keys()].filter((k) => minuteOf(k) < M0 + 150);
    const after = [...plain.keys()].filter((k) => minuteOf(k) >= M0 + 150);
    expect(before.length).toBeGreaterThan(1000);
    expect(before.filter((k) => served.get(k) !== plain.get(k))).toEqual([]);
    expect(after.filter((k) => served.get(k) !== plain.get(k)).length).toBeGreaterThan(after.length / 10);
    const chosen = after.filter((k) => (JSON.parse(served.get(k) ?? '{}') as { model: string }).model === 'combiner');
    expect(chosen.length).toBeGreaterThan(0);
  });

  it('restored mid-stream (checkpoint after minute 160) and refolded: the same forecasts as uninterrupted', () => {
    const cut = events.findIndex((e) => e.eventTime >= START + 160 * 60_000);
    const a = new PartitionProfiler(0, opts, { checkpointEachTick: false });
    a.offerCombiner(model);
    const first = run(a, events, 0, cut);
    const cp = a.checkpoint();
    expect(cp?.changelog.at(-1)?.state.toString()).toContain(`"combiners":[[${model.version},${M0 + 150}]]`);
    const b = new PartitionProfiler(0, opts, { checkpointEachTick: false });
    b.restore(cp?.changelog ?? []);
    expect(b.offerCombiner(model).outcome).toBe('applied'); // after the restore, as the shell does
    const rest = run(b, events, cut);
    expect(forecasts([...first, ...rest])).toEqual(served);
  });

  it('a version that arrives after its minute was forecast is late: it applies from the next tick, and a restore keeps that minute', () => {
    const cut = events.findIndex((e) => e.eventTime >= START + 170 * 60_000);
    const a = new PartitionProfiler(0, opts, { checkpointEachTick: false });
    const first = run(a, events, 0, cut);
    const next = Math.max(...first.map((t) => t.tickTime)) / 60_000 + 1;
    expect(a.offerCombiner(model).outcome).toBe('late');
    const cp = a.checkpoint();
    expect(cp?.changelog.at(-1)?.state.toString()).toContain(`"combiners":[[${model.version},${next}]]`);
    const rest = run(a, events, cut);
    const late = forecasts([...first, ...rest]);
    // minutes 150 .. next - 1 were forecast without it
    for (const [k, v] of late) if (minuteOf(k) < next) expect(v).toBe(plain.get(k));
    // from `next` on it is served (the candidate's history before `next` was the hazard's, so
    // these are not the on-time run's forecasts either)
    expect([...late].filter(([k, v]) => minuteOf(k) >= next && v !== plain.get(k)).length).toBeGreaterThan(0);
    // restored from that checkpoint, offered again: the same minute, not late, same forecasts
    const b = new PartitionProfiler(0, opts, { checkpointEachTick: false });
    b.restore(cp?.changelog ?? []);
    expect(b.offerCombiner(model).outcome).toBe('applied');
    expect(forecasts([...first, ...run(b, events, cut)])).toEqual(late);
  });

  it('without a version the partition entry has no combiners field (byte-identical to before)', () => {
    const a = new PartitionProfiler(0, opts, { checkpointEachTick: false });
    run(a, events, 0, 500);
    expect(a.checkpoint()?.changelog.at(-1)?.state.toString()).not.toContain('combiners');
  });
});
