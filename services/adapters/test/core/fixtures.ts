// Builders for pure simulator tests: a command or request with defaults, and a deterministic
// simulator (sigma 0: boot is exactly its median, so latencies are exact numbers).
import type { ProvisionCommand } from '@warmcast/kit';
import { Simulator } from '../../src/core/simulator.ts';
import type { SimRequest } from '../../src/core/simulator.ts';
import { simulatorParams } from '../../src/core/params.ts';
import type { SimulatorOptions } from '../../src/core/params.ts';

export const T0 = Date.UTC(2026, 0, 5, 9, 0, 0); // a window boundary (60 s windows)
export const USER_A = 'a1b2c3d4e5f6' + '0'.repeat(52);
export const USER_B = 'ffffffffffff' + '1'.repeat(52);

export function sim(options: SimulatorOptions = {}): Simulator {
  return new Simulator(simulatorParams({ boot: { medianMs: 2500, sigma: 0 }, preload: { medianMs: 5000, sigma: 0 }, spotHazardPerHour: 0, ...options }));
}

let n = 0;
export function cmd(c: Partial<ProvisionCommand> & Pick<ProvisionCommand, 'kind' | 'poolId'>): ProvisionCommand {
  const [runtime = 'py', sizeClass = 'M'] = c.poolId.split('/');
  return {
    commandId: `cmd-${++n}`, pool: { runtime, sizeClass: (sizeClass === 'var' ? 'M' : sizeClass) as ProvisionCommand['pool']['sizeClass'] }, vmId: null, count: null, cpuCores: null, memoryMb: null,
    targetPoolId: null, preloadProfile: null, reason: { rule: 'test', forecastRef: null, bound: null, text: 'test' }, dryRun: false, issuedAt: T0, ...c,
  };
}

let r = 0;
export function req(at: number, o: Partial<SimRequest> = {}): SimRequest {
  return { requestId: `req-${++r}`, userKey: USER_A, runtime: 'py', sizeClass: 'M', priority: 0, eventTime: at, durationMs: 1000, ...o };
}
