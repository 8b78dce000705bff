// Seeded synthetic execution events for the insert bench, shaped like ingest's output: ~5k
// users and 20k functions, the real runtime / size / language / tier symbols, 0-3 tags, a
// third of requests with source text (stored as its byte length), code metrics on most,
// log-normal durations, 10% cold starts, ms timestamps over one day. Same seed, same rows.
import type { ExecutionMetrics, ExecutionRequest, NormalizedEvent } from '@warmcast/kit';
import { seededRandom } from '@warmcast/testkit';

const RUNTIMES = ['python3.12', 'python3.11', 'node20', 'node22', 'java21', 'go1.22', 'dotnet8', 'ruby3.3'];
const SIZES = ['XS', 'S', 'M', 'L', 'XL'] as const;
const LANGUAGES = ['PYTHON', 'JAVASCRIPT', 'TYPESCRIPT', 'JAVA', 'GO', 'RUST', 'SHELL'] as const;
const TIERS = ['FREE', 'STANDARD', 'PREMIUM'] as const;
const TAG_KEYS = ['team', 'env', 'project', 'owner'];
const TAG_VALUES = ['ml', 'prod', 'staging', 'data', 'web', 'batch', 'etl-nightly'];
const SOURCE = 'import numpy as np\nfrom pipeline import step\n\ndef handler(event):\n    return step(np.array(event["x"]))\n';

export interface SyntheticEvents {
  readonly requests: ExecutionRequest[];
  readonly metrics: ExecutionMetrics[];
  readonly normalized: NormalizedEvent[];
  readonly userKeys: string[];
}

/** n requests, each with its metrics and its paired normalized event. */
export function syntheticEvents(n: number, seed = 42, startMs = 1_763_900_000_000): SyntheticEvents {
  const rnd = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const logNormal = (median: number, sigma: number): number => median * Math.exp(sigma * Math.sqrt(-2 * Math.log(rnd() || 1e-12)) * Math.cos(2 * Math.PI * rnd()));
  const requests: ExecutionRequest[] = [];
  const metrics: ExecutionMetrics[] = [];
  const normalized: NormalizedEvent[] = [];
  const userKeys: string[] = [];
  for (let i = 0; i < n; i++) {
    const user = Math.floor(rnd() ** 2 * 5000);
    const fn = Math.floor(rnd() * 20_000);
    const eventTime = startMs + Math.floor((i / n) * 86_400_000);
    const withSource = rnd() < 0.33;
    const tags: Record<string, string> = {};
    for (let t = Math.floor(rnd() * 4); t > 0; t--) tags[pick(TAG_KEYS)] = pick(TAG_VALUES);
    const runtime = pick(RUNTIMES);
    const sizeClass = pick(SIZES);
    const language = pick(LANGUAGES);
    const tier = pick(TIERS);
    const priority = Math.floor(rnd() * 10);
    const codeMetrics = rnd() < 0.8 ? { lines: 5 + Math.floor(rnd() * 400), cyclomaticComplexity: 1 + Math.floor(rnd() * 30), imports: Math.floor(rnd() * 20), functions: Math.floor(rnd() * 15) } : null;
    const requestId = `req-${seed}-${i.toString(36)}-${Math.floor(rnd() * 1e9).toString(36)}`;
    const applicationId = rnd() < 0.7 ? `app-${fn % 900}` : null;
    requests.push({
      requestId, userId: `user-${user}`, applicationId, functionId: `fn-${fn}`, runtime, sizeClass, language,
      codeRef: `sha256:${Math.floor(rnd() * 2 ** 48).toString(16).padStart(12, '0')}`, sourceText: withSource ? SOURCE.repeat(1 + Math.floor(rnd() * 4)) : null,
      codeMetrics, tags, tier, priority, eventTime, producedAt: eventTime + Math.floor(rnd() * 20),
    });
    const durationMs = Math.round(logNormal(800, 1.2) * 1000) / 1000;
    const cold = rnd() < 0.1;
    const cpuCores = pick([0.25, 0.5, 1, 2, 4]);
    const m: ExecutionMetrics = {
      requestId, userId: `user-${user}`, functionId: `fn-${fn}`, durationMs, cpuMs: Math.round(durationMs * cpuCores * rnd() * 1000) / 1000, cpuCores,
      memoryPeakMb: Math.round(logNormal(256, 0.8) * 100) / 100, ioReadBytes: Math.floor(logNormal(40_000, 2)), ioWriteBytes: Math.floor(logNormal(8000, 2)),
      netInBytes: Math.floor(logNormal(100_000, 2)), netOutBytes: Math.floor(logNormal(20_000, 2)), gpuMs: rnd() < 0.05 ? Math.round(durationMs * 0.6) : null,
      start: cold ? 'COLD' : 'WARM', startLatencyMs: cold ? Math.round(logNormal(900, 0.5)) : Math.round(rnd() * 20), finishedAt: eventTime + Math.ceil(durationMs), producedAt: eventTime + Math.ceil(durationMs) + 5,
    };
    metrics.push(m);
    const userKey = `u:${(user * 2_654_435_761 >>> 0).toString(16).padStart(8, '0')}${'0'.repeat(56)}`;
    userKeys.push(userKey);
    normalized.push({
      eventId: `ev-${requestId}`, userKey, kind: 'PAIRED', requestId, functionId: `fn-${fn}`, applicationId, runtime, sizeClass, language, tier, priority, tags, eventTime,
      metrics: { durationMs, cpuMs: m.cpuMs, cpuCores, memoryPeakMb: m.memoryPeakMb, ioBytes: m.ioReadBytes + m.ioWriteBytes, netBytes: m.netInBytes + m.netOutBytes, gpuMs: m.gpuMs, coldStart: cold, startLatencyMs: m.startLatencyMs },
      codeFeatures: codeMetrics === null ? null : { lines: codeMetrics.lines, cyclomaticComplexity: codeMetrics.cyclomaticComplexity, imports: codeMetrics.imports, derivedFromSource: withSource },
      ingestedAt: eventTime + 40,
    });
  }
  return { requests, metrics, normalized, userKeys };
}
