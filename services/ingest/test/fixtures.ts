// Hand-built input events (decoded form, all fields present) for unit and integration tests.
import type { ExecutionMetrics, ExecutionRequest } from '@warmcast/kit';

export const T0 = Date.UTC(2026, 10, 23, 12, 0, 0); // 2026-11-23 12:00 UTC

export function request(over: Partial<ExecutionRequest> = {}): ExecutionRequest {
  return {
    requestId: 'r1', userId: 'alice', applicationId: 'app1', functionId: 'f1', runtime: 'python3.12', sizeClass: 'S',
    language: 'PYTHON', codeRef: 'sha256:abc', sourceText: null, codeMetrics: null, tags: { Team: 'core' }, tier: 'STANDARD',
    priority: 3, eventTime: T0, producedAt: T0 + 10, ...over,
  };
}

export function metrics(over: Partial<ExecutionMetrics> = {}): ExecutionMetrics {
  return {
    requestId: 'r1', userId: 'alice', functionId: 'f1', durationMs: 1200, cpuMs: 900, cpuCores: 0.5, memoryPeakMb: 180,
    ioReadBytes: 1000, ioWriteBytes: 24, netInBytes: 300, netOutBytes: 200, gpuMs: null, start: 'COLD', startLatencyMs: 850,
    finishedAt: T0 + 2050, producedAt: T0 + 2060, ...over,
  };
}
