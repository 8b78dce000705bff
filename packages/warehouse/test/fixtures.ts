// One value per topic the warehouse stores, every nullable field set, plus a hostile string
// (quotes, backslash, newline, SQL) in free-text fields so a test would see any string-built SQL.
import { Topics } from '@warmcast/kit';
import type { ExecutionMetrics, ExecutionRequest, NormalizedEvent, TopicValues } from '@warmcast/kit';
import type { SinkTopic } from '../src/index.ts';

export const t0 = 1_763_900_000_000; // 2025-11-23T12:13:20Z
export const HOSTILE = "x'); DROP TABLE commands; --\\ \"q\" \n{user:String}";
const pool = { runtime: 'python3.12', sizeClass: 'M' } as const;
const q = (p50: number) => ({ p10: p50 * 0.5, p50, p90: p50 * 2, p99: p50 * 3 });

export const request: ExecutionRequest = {
  requestId: 'req-1', userId: 'raw-user-1', applicationId: 'app-1', functionId: 'fn-1', runtime: 'python3.12', sizeClass: 'M', language: 'PYTHON',
  codeRef: 'sha256:ab12', sourceText: 'import numpy\nprint("é")\n', codeMetrics: { lines: 2, cyclomaticComplexity: 1, imports: 1, functions: 0 },
  tags: { team: 'ml', env: 'prod' }, tier: 'PREMIUM', priority: 7, eventTime: t0, producedAt: t0 + 3,
};

export const metrics: ExecutionMetrics = {
  requestId: 'req-1', userId: 'raw-user-1', functionId: 'fn-1', durationMs: 1234, cpuMs: 900, cpuCores: 0.5, memoryPeakMb: 312.5,
  ioReadBytes: 4096, ioWriteBytes: 1024, netInBytes: 2_000_000, netOutBytes: 5000, gpuMs: null, start: 'COLD', startLatencyMs: 850.25,
  finishedAt: t0 + 1234, producedAt: t0 + 1300,
};

export const normalized: NormalizedEvent = {
  eventId: 'ev-1', userKey: 'u:9f86d081', kind: 'PAIRED', requestId: 'req-1', functionId: 'fn-1', applicationId: null, runtime: 'python3.12', sizeClass: 'M',
  language: 'PYTHON', tier: 'PREMIUM', priority: 7, tags: { team: 'ml' }, eventTime: t0,
  metrics: { durationMs: 1234, cpuMs: 900, cpuCores: 0.5, memoryPeakMb: 312.5, ioBytes: 5120, netBytes: 2_005_000, gpuMs: null, coldStart: true, startLatencyMs: 850.25 },
  codeFeatures: { lines: 2, cyclomaticComplexity: 1, imports: 1, derivedFromSource: true }, ingestedAt: t0 + 1400,
};

export const sinkFixtures: { [N in SinkTopic]: { key: string; value: TopicValues[N] } } = {
  [Topics.execEventNormalized]: { key: normalized.userKey, value: normalized },
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
    commandId: 'cmd-1', kind: 'LAUNCH', poolId: 'sim-python-m', pool, vmId: null, count: 2, cpuCores: null, memoryMb: null, targetPoolId: null,
    preloadProfile: null, reason: { rule: 'proactive-scale-out', forecastRef: 'demand.pool.aggregated.v1/0/1234', bound: 51.5, text: HOSTILE },
    dryRun: false, issuedAt: t0,
  } },
  [Topics.provisionCommandApplied]: { key: 'sim-python-m', value: {
    commandId: 'cmd-1', poolId: 'sim-python-m', status: 'APPLIED', adapter: 'simulator', appliedAt: t0 + 20, error: null,
  } },
  [Topics.feedbackAnomalyDetected]: { key: 'sim-python-m', value: {
    anomalyId: 'an-1', subjectKind: 'POOL', subjectId: 'sim-python-m', metric: 'concurrent_instances', observed: 80, expectedLower: 33.5, expectedUpper: 51.5,
    severity: 'CRITICAL', forecastRef: null, windowStart: t0, detectedAt: t0 + 60_000,
  } },
  [Topics.opsDeadletter]: { key: 'exec.request.received.v1', value: {
    sourceTopic: 'exec.request.received.v1', sourcePartition: 3, sourceOffset: 12_345, key: Buffer.from('user-1'), value: Buffer.from([0x7b, 0x22, 0x00, 0xff]),
    headers: [{ key: 'trace', value: Buffer.from('abc') }, { key: 'empty', value: null }], reasonCode: 'DECODE_FAILED', reasonText: 'first byte 123', attempts: 1,
    service: 'ingest', failedAt: t0,
  } },
};
