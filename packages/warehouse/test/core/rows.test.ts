import { describe, expect, it } from 'vitest';
import { Topics } from '@warmcast/kit';
import {
  commandRow, deadLetterRow, demandRow, forecastRows, normalizedEventRow, rawMetricsRow, rawRequestRow, requestNeedRows, rowsForTopic, SINK_TOPICS, Tables, tablesForTopics,
} from '../../src/index.ts';
import { HOSTILE, metrics, normalized, request, sinkFixtures, t0 } from '../fixtures.ts';

describe('rows', () => {
  it('stores the user key, never the raw user id, and only the byte length of the source', () => {
    const row = rawRequestRow(request, 'u:9f86d081', t0 + 10);
    expect(row.user_key).toBe('u:9f86d081');
    expect(JSON.stringify(row)).not.toContain('raw-user-1');
    expect(JSON.stringify(row)).not.toContain('numpy');
    expect(row.source_bytes).toBe(25); // 'import numpy\nprint("é")\n': é is 2 bytes in UTF-8
    expect(row).toMatchObject({ code_lines: 2, code_cyclomatic: 1, code_imports: 1, code_functions: 0, tags: { team: 'ml', env: 'prod' }, ingested_at: t0 + 10, event_time: t0 });
  });

  it('maps metrics and normalized events with their units and nulls', () => {
    expect(rawMetricsRow(metrics, 'u:1', t0)).toMatchObject({ duration_ms: 1234, memory_peak_mb: 312.5, gpu_ms: null, start: 'COLD', finished_at: t0 + 1234 });
    const n = normalizedEventRow(normalized);
    expect(n).toMatchObject({ cold_start: true, io_bytes: 5120, application_id: null, code_from_source: true, duration_ms: 1234 });
    expect(normalizedEventRow({ ...normalized, metrics: null, codeFeatures: null })).toMatchObject({ duration_ms: null, cold_start: null, code_lines: null });
  });

  it('fans a forecast out to one row per horizon with every quantile, and a request-need row', () => {
    const f = sinkFixtures[Topics.forecastUserPublished].value;
    const rows = forecastRows(f);
    expect(rows.map((r) => r.horizon_minutes)).toEqual([5, 15, 30, 120]);
    expect(rows[1]).toMatchObject({ user_key: 'u:9f86d081', tick_time: t0, requests_p10: 1.5, requests_p50: 3, requests_p90: 6, requests_p99: 9, memory_mb_p50: 256, concurrent_mean: 1.2, p_any: 0.125, model: 'hazard-histogram' });
    expect(rows[0]?.pool_mix).toEqual({ 'python3.12/M': 0.75, 'node20/S': 0.25 });
    expect(requestNeedRows(f)).toEqual([expect.objectContaining({ source: 'profile', duration_ms_p50: 1200, cpu_cores_p99: 1.5 })]);
    expect(requestNeedRows({ ...f, requestNeed: null })).toEqual([]);
  });

  it('flattens the command reason so one row answers "why"', () => {
    const row = commandRow(sinkFixtures[Topics.provisionCommandIssued].value);
    expect(row).toMatchObject({ command_id: 'cmd-1', kind: 'LAUNCH', runtime: 'python3.12', size_class: 'M', count: 2, vm_id: null, reason_rule: 'proactive-scale-out', reason_bound: 51.5, reason_text: HOSTILE, dry_run: false });
  });

  it('keys demand by <runtime>/<sizeClass> like the topic', () => {
    expect(demandRow(sinkFixtures[Topics.demandPoolAggregated].value)).toMatchObject({ pool: 'python3.12/M', runtime: 'python3.12', size_class: 'M', upper_bound: 51.5 });
  });

  it('keeps dead-letter bytes losslessly as base64', () => {
    const row = deadLetterRow(sinkFixtures[Topics.opsDeadletter].value);
    expect(Buffer.from(row.value_base64 ?? '', 'base64')).toEqual(Buffer.from([0x7b, 0x22, 0x00, 0xff]));
    expect(row.header_keys).toEqual(['trace', 'empty']);
    expect(row.header_values_base64).toEqual([Buffer.from('abc').toString('base64'), null]);
    expect(deadLetterRow({ ...sinkFixtures[Topics.opsDeadletter].value, key: null, value: null }).value_base64).toBeNull();
  });

  it.each([
    ['NaN quantile', () => forecastRows({ ...sinkFixtures[Topics.forecastUserPublished].value, horizons: [{ ...sinkFixtures[Topics.forecastUserPublished].value.horizons[0]!, pAny: Number.NaN }] }), /p_any=NaN/],
    ['infinite bound', () => demandRow({ ...sinkFixtures[Topics.demandPoolAggregated].value, upperBound: Infinity }), /upper_bound=Infinity/],
    ['negative count', () => rawRequestRow({ ...request, priority: -1 }, 'u', t0), /priority=-1 must be >= 0/],
  ])('refuses a row with a %s (ROW_INVALID)', (_name, build, message) => {
    expect(build).toThrow(expect.objectContaining({ code: 'ROW_INVALID', retriable: false, message: expect.stringMatching(message) }));
  });
});

describe('topic rows', () => {
  it('maps every sink topic to at least one table', () => {
    for (const topic of SINK_TOPICS) {
      const batches = rowsForTopic(topic, sinkFixtures[topic].value as never);
      expect(batches.length, topic).toBeGreaterThan(0);
      expect(tablesForTopics([topic]).sort()).toEqual(batches.map((b) => b.table).sort());
    }
  });

  it('drops the request_needs batch when a forecast has no requestNeed', () => {
    const v = { ...sinkFixtures[Topics.forecastUserPublished].value, requestNeed: null };
    expect(rowsForTopic(Topics.forecastUserPublished, v).map((b) => b.table)).toEqual([Tables.forecasts]);
  });
});
