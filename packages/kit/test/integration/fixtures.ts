// One fixture value per catalogued topic, with every optional field set (non-null) so a
// round trip exercises each union branch and nested record.
import type { TopicInputs, TopicName } from '../../src/generated/catalogue.ts';
import { Topics } from '../../src/generated/catalogue.ts';

const t0 = 1_763_900_000_000; // 2025-11-23T12:13:20Z
const pool = { runtime: 'python3.12', sizeClass: 'M' } as const;
const q = (p50: number) => ({ p10: p50 * 0.5, p50, p90: p50 * 2, p99: p50 * 3 });

export const fixtures: { [N in TopicName]: { key: string; value: TopicInputs[N] } } = {
  [Topics.execRequestReceived]: { key: 'user-1', value: {
    requestId: 'req-1', userId: 'user-1', applicationId: 'app-1', functionId: 'fn-1', runtime: 'python3.12', sizeClass: 'M', language: 'PYTHON',
    codeRef: 'sha256:ab12', sourceText: 'import numpy\nprint(1)\n', codeMetrics: { lines: 2, cyclomaticComplexity: 1, imports: 1, functions: 0 },
    tags: { team: 'ml', env: 'prod' }, tier: 'PREMIUM', priority: 7, eventTime: t0, producedAt: t0 + 3,
  } },
  [Topics.execMetricsReported]: { key: 'user-1', value: {
    requestId: 'req-1', userId: 'user-1', functionId: 'fn-1', durationMs: 1234, cpuMs: 900, cpuCores: 0.5, memoryPeakMb: 312.5,
    ioReadBytes: 4096, ioWriteBytes: 1024, netInBytes: 2_000_000, netOutBytes: 5000, gpuMs: 77, start: 'COLD', startLatencyMs: 850.25,
    finishedAt: t0 + 1234, producedAt: t0 + 1300,
  } },
  [Topics.execEventNormalized]: { key: 'u:9f86d081', value: {
    eventId: 'ev-1', userKey: 'u:9f86d081', kind: 'PAIRED', requestId: 'req-1', functionId: 'fn-1', applicationId: 'app-1', runtime: 'python3.12', sizeClass: 'M',
    language: 'PYTHON', tier: 'PREMIUM', priority: 7, tags: { team: 'ml' }, eventTime: t0,
    metrics: { durationMs: 1234, cpuMs: 900, cpuCores: 0.5, memoryPeakMb: 312.5, ioBytes: 5120, netBytes: 2_005_000, gpuMs: 77, coldStart: true, startLatencyMs: 850.25 },
    codeFeatures: { lines: 2, cyclomaticComplexity: 1, imports: 1, derivedFromSource: true }, ingestedAt: t0 + 1400,
  } },
  [Topics.forecastUserPublished]: { key: 'u:9f86d081', value: {
    userKey: 'u:9f86d081', tickTime: t0,
    horizons: [5, 15, 30, 120].map((h) => ({ horizonMinutes: h, requests: q(h / 5), concurrentInstances: q(1), cpuCores: q(0.5), memoryMb: q(256), pAny: Math.min(1, h / 120), concurrentMean: 1.2, concurrentVariance: 0.3 })),
    runtimeMix: { 'python3.12': 0.75, node20: 0.25 }, poolMix: { 'python3.12/M': 0.75, 'node20/S': 0.25 }, tier: 'PREMIUM', priority: 7,
    requestNeed: { cpuCores: q(0.5), memoryMb: q(256), durationMs: q(1200), source: 'profile' }, model: 'hazard-histogram', producedAt: t0 + 50,
  } },
  [Topics.forecastAccuracyScored]: { key: 'u:9f86d081', value: {
    userKey: 'u:9f86d081', tickTime: t0, horizonMinutes: 15, metric: 'requests', model: 'seasonal', p10: 1, p50: 3, p90: 7, p99: 12, actual: 8,
    pinballLoss: 1.25, covered80: false, covered98: true, underProvisioned: 1, scoredAt: t0 + 900_000,
  } },
  [Topics.profilerStateChangelog]: { key: 'u:9f86d081', value: {
    userKey: 'u:9f86d081', sourcePartition: 4, sourceOffset: 9876, stateVersion: 1, state: Buffer.from('{"counts":[1,0,2]}'), eventTime: t0,
  } },
  [Topics.forecastModelPublished]: { key: 'combiner/29463839', value: {
    modelKey: 'combiner/29463839', kind: 'combiner', version: 29_463_839, trainedThroughMinute: 29_463_839, effectiveFromMinute: 29_463_840,
    featureNames: ['intercept', 'log1p gap'], coefficientsByBand: [[-3.5, 0.25], []], rowsByBand: [1200, 0], hourOfDay: true, bands: true, l2: 1, prior: 0.01,
    users: 312, payload: Buffer.from([1, 2, 3]), trainedAt: t0,
  } },
  [Topics.demandPoolAggregated]: { key: 'python3.12/M', value: {
    pool, horizonMinutes: 15, mean: 42.5, variance: 30.25, lowerBound: 33.5, upperBound: 51.5, confidence: 0.9, userCount: 312, windowStart: t0, windowEnd: t0 + 900_000,
  } },
  [Topics.demandClusterAggregated]: { key: 'local', value: {
    cluster: 'local', horizonMinutes: 15, cpuCoresMean: 12.5, cpuCoresVariance: 4, cpuCoresUpper: 15.8, memoryMbMean: 20480, memoryMbVariance: 1_048_576,
    memoryMbUpper: 22_160, confidence: 0.9, userCount: 312, windowStart: t0, windowEnd: t0 + 900_000,
  } },
  [Topics.poolStatusReported]: { key: 'sim-python-m', value: {
    poolId: 'sim-python-m', pool, warming: 3, active: 17, idle: 5, capacity: 64, adapter: 'simulator', asOf: t0,
  } },
  [Topics.poolOutcomeReported]: { key: 'sim-python-m', value: {
    poolId: 'sim-python-m', pool, windowStart: t0, windowEnd: t0 + 60_000, requests: 120, warmHits: 110, coldStarts: 10, coldLatencyMsSum: 8500.5,
    queued: 2, idleVmSeconds: 300.5, busyVmSeconds: 900, cost: 0.0125, spotInterruptions: 1, adapter: 'simulator',
  } },
  [Topics.provisionCommandIssued]: { key: 'sim-python-m', value: {
    commandId: 'cmd-1', kind: 'RESIZE', poolId: 'sim-python-m', pool, vmId: 'vm-7', count: 2, cpuCores: 2, memoryMb: 2048, targetPoolId: 'sim-python-l',
    preloadProfile: 'numpy-pandas', reason: { rule: 'vertical-resize', forecastRef: 'demand.pool.aggregated.v1/0/1234', bound: 1.6, text: 'predicted CPU 1.6 cores vs 1 allocated (+60 % > 20 %)' },
    dryRun: true, issuedAt: t0,
  } },
  [Topics.provisionCommandApplied]: { key: 'sim-python-m', value: {
    commandId: 'cmd-1', poolId: 'sim-python-m', status: 'FAILED', adapter: 'simulator', appliedAt: t0 + 20, error: 'quota exceeded',
  } },
  [Topics.feedbackAnomalyDetected]: { key: 'sim-python-m', value: {
    anomalyId: 'an-1', subjectKind: 'POOL', subjectId: 'sim-python-m', metric: 'concurrent_instances', observed: 80, expectedLower: 33.5, expectedUpper: 51.5,
    severity: 'CRITICAL', forecastRef: 'demand.pool.aggregated.v1/0/1234', windowStart: t0, detectedAt: t0 + 60_000,
  } },
  [Topics.opsDeadletter]: { key: 'exec.request.received.v1', value: {
    sourceTopic: 'exec.request.received.v1', sourcePartition: 3, sourceOffset: 12_345, key: Buffer.from('user-1'), value: Buffer.from([0x7b, 0x22, 0x00, 0xff]),
    headers: [{ key: 'trace', value: Buffer.from('abc') }, { key: 'empty', value: null }], reasonCode: 'DECODE_FAILED', reasonText: 'first byte 123', attempts: 1,
    service: 'ingest', failedAt: t0,
  } },
};
