// What the trace does not say, drawn deterministically: each choice is a fixed function of
// the function id (or user id) and a salt, so a function keeps its runtime, size class and
// code across runs, and a user keeps their tier. The mixes are documented assumptions,
// roughly the shape of public serverless surveys (Datadog "State of Serverless" 2023:
// Python and Node.js run most functions, then Java and Go), not measurements:
//   runtime   python3.12 45 %, node20 30 % (40 % of those written in TypeScript), go1.22 12 %, java21 13 %
//   size      smallest class that fits the function's p99 memory, then headroom: +0 (60 %),
//             +1 class (28 %), +2 classes (12 %), capped at XL; 3 % of Python functions ask for GPU
//   tier      per user: FREE 50 %, STANDARD 30 %, PREMIUM 15 %, ENTERPRISE 5 %
//   priority  per user, by tier: FREE 0-2, STANDARD 3-5, PREMIUM 6-7, ENTERPRISE 8-9
//   source    half of the Python/JS/TS functions send their source text (the others send none)
import type { Language, SizeClass, Tier } from '@warmcast/kit';
import { quantile, type FunctionProfile } from './profile.ts';
import { unitOf, weighted } from './hash.ts';

export interface FunctionTraits {
  readonly runtime: string;
  readonly language: Language;
  readonly sizeClass: SizeClass;
  /** cores of the size class */
  readonly cpuCores: number;
  /** memory of the size class, MiB */
  readonly classMemoryMb: number;
  /** mean share of allocated cores the code keeps busy, 0.05-0.9 */
  readonly cpuUtilisation: number;
  /** median bytes per invocation; each invocation draws 0.5x-2x of these */
  readonly ioReadBytes: number;
  readonly ioWriteBytes: number;
  readonly netInBytes: number;
  readonly netOutBytes: number;
  readonly sendsSource: boolean;
}

export interface UserTraits {
  readonly tier: Tier;
  readonly priority: number;
}

const RUNTIMES: readonly (readonly [string, number])[] = [['python3.12', 0.45], ['node20', 0.3], ['go1.22', 0.12], ['java21', 0.13]];

/** Size classes as execution-request.avsc documents them: cores and MiB. */
export const SIZE_CLASSES: readonly { readonly name: SizeClass; readonly cores: number; readonly memoryMb: number }[] = [
  { name: 'XS', cores: 0.25, memoryMb: 256 },
  { name: 'S', cores: 0.5, memoryMb: 512 },
  { name: 'M', cores: 1, memoryMb: 1024 },
  { name: 'L', cores: 2, memoryMb: 2048 },
  { name: 'XL', cores: 4, memoryMb: 4096 },
];
const GPU_CLASS = { name: 'GPU' as SizeClass, cores: 4, memoryMb: 8192 };
const HEADROOM: readonly (readonly [number, number])[] = [[0, 0.6], [1, 0.28], [2, 0.12]];
const GPU_SHARE_OF_PYTHON = 0.03;
const SOURCE_SHARE = 0.5;

const TIERS: readonly (readonly [Tier, number])[] = [['FREE', 0.5], ['STANDARD', 0.3], ['PREMIUM', 0.15], ['ENTERPRISE', 0.05]];
const PRIORITY_RANGE: Readonly<Record<Tier, readonly [number, number]>> = {
  FREE: [0, 2], STANDARD: [3, 5], PREMIUM: [6, 7], ENTERPRISE: [8, 9], UNKNOWN: [0, 0],
};

export function languageOf(runtime: string, functionId: string): Language {
  if (runtime.startsWith('python')) return 'PYTHON';
  if (runtime.startsWith('node')) return unitOf(`ts|${functionId}`) < 0.4 ? 'TYPESCRIPT' : 'JAVASCRIPT';
  if (runtime.startsWith('go')) return 'GO';
  if (runtime.startsWith('java')) return 'JAVA';
  return 'OTHER';
}

/** Smallest class whose memory holds memoryMb (XL when none does). */
export function fittingClass(memoryMb: number): number {
  const i = SIZE_CLASSES.findIndex((c) => c.memoryMb >= memoryMb);
  return i < 0 ? SIZE_CLASSES.length - 1 : i;
}

export function functionTraits(functionId: string, profile: FunctionProfile): FunctionTraits {
  const u = (salt: string): number => unitOf(`${salt}|${functionId}`);
  const runtime = weighted(RUNTIMES, u('runtime'));
  const language = languageOf(runtime, functionId);
  const p99 = quantile(profile.memoryMb, 0.99);
  const gpu = language === 'PYTHON' && u('gpu') < GPU_SHARE_OF_PYTHON;
  const idx = Math.min(SIZE_CLASSES.length - 1, fittingClass(p99) + weighted(HEADROOM, u('headroom')));
  const cls = gpu ? GPU_CLASS : (SIZE_CLASSES[idx] ?? GPU_CLASS);
  // skewed low (u^2): most functions wait on I/O; median 0.05 + 0.85 * 0.25 = 0.26
  const cpuUtilisation = 0.05 + 0.85 * u('cpu') ** 2;
  // log-uniform medians: disk reads 1 KiB-4 MiB, writes 1/10-1x of reads, network in 512 B-1 MiB, out 256 B-256 KiB
  const ioReadBytes = Math.round(2 ** (10 + 12 * u('io-read')));
  return {
    runtime, language, sizeClass: cls.name, cpuCores: cls.cores, classMemoryMb: cls.memoryMb, cpuUtilisation,
    ioReadBytes,
    ioWriteBytes: Math.round(ioReadBytes * (0.1 + 0.9 * u('io-write'))),
    netInBytes: Math.round(2 ** (9 + 11 * u('net-in'))),
    netOutBytes: Math.round(2 ** (8 + 10 * u('net-out'))),
    sendsSource: (language === 'PYTHON' || language === 'JAVASCRIPT' || language === 'TYPESCRIPT') && u('source') < SOURCE_SHARE,
  };
}

export function userTraits(userId: string): UserTraits {
  const tier = weighted(TIERS, unitOf(`tier|${userId}`));
  const [lo, hi] = PRIORITY_RANGE[tier];
  return { tier, priority: lo + Math.floor(unitOf(`priority|${userId}`) * (hi - lo + 1)) };
}
