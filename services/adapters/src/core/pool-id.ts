// Pool ids (shared convention with the scaler, see README):
//   <runtime>/<sizeClass>                      on-demand fixed-resource pool, e.g. python3.12/M
//   <runtime>/<sizeClass>/spot | /reserved     capacity-market variants
//   <runtime>/var                              variable-resource pool (VMs resized one by one)
//   <runtime>/<sizeClass>/user/<12 hex>        per-user sub-pool preloaded with a user's profile
// Pure: parse and format only.

export const SIZE_CLASSES = ['XS', 'S', 'M', 'L', 'XL', 'GPU'] as const;
export type FixedSizeClass = (typeof SIZE_CLASSES)[number];

/** Resources of a size class (schema doc): vCPU, MiB, GPUs. */
export const CLASS_RESOURCES: Readonly<Record<FixedSizeClass, { readonly cpuCores: number; readonly memoryMb: number; readonly gpus: number }>> = Object.freeze({
  XS: { cpuCores: 0.25, memoryMb: 256, gpus: 0 },
  S: { cpuCores: 0.5, memoryMb: 512, gpus: 0 },
  M: { cpuCores: 1, memoryMb: 1024, gpus: 0 },
  L: { cpuCores: 2, memoryMb: 2048, gpus: 0 },
  XL: { cpuCores: 4, memoryMb: 4096, gpus: 0 },
  GPU: { cpuCores: 4, memoryMb: 8192, gpus: 1 },
});

export type Market = 'on-demand' | 'spot' | 'reserved';

export type PoolRef =
  | { readonly kind: 'fixed'; readonly id: string; readonly runtime: string; readonly sizeClass: FixedSizeClass; readonly market: Market }
  | { readonly kind: 'var'; readonly id: string; readonly runtime: string; readonly market: 'on-demand' }
  | { readonly kind: 'user'; readonly id: string; readonly runtime: string; readonly sizeClass: FixedSizeClass; readonly market: 'on-demand'; readonly userPrefix: string };

export type ParsedPoolId = { readonly ok: true; readonly ref: PoolRef } | { readonly ok: false; readonly error: string };

const RUNTIME = /^[A-Za-z0-9._+-]{1,64}$/;
const USER_PREFIX = /^[0-9a-f]{12}$/;

export function isSizeClass(s: unknown): s is FixedSizeClass {
  return typeof s === 'string' && (SIZE_CLASSES as readonly string[]).includes(s);
}

export function parsePoolId(id: string): ParsedPoolId {
  const parts = id.split('/');
  const [runtime, second, third, fourth] = parts;
  const bad = (why: string): ParsedPoolId => ({ ok: false, error: `pool id ${JSON.stringify(id)}: ${why}` });
  if (runtime === undefined || !RUNTIME.test(runtime)) return bad('runtime must be 1-64 characters of [A-Za-z0-9._+-]');
  if (second === 'var' && parts.length === 2) return { ok: true, ref: { kind: 'var', id, runtime, market: 'on-demand' } };
  if (!isSizeClass(second)) return bad(`size class must be one of ${SIZE_CLASSES.join(', ')} (or "var")`);
  if (parts.length === 2) return { ok: true, ref: { kind: 'fixed', id, runtime, sizeClass: second, market: 'on-demand' } };
  if (parts.length === 3 && (third === 'spot' || third === 'reserved')) return { ok: true, ref: { kind: 'fixed', id, runtime, sizeClass: second, market: third } };
  if (parts.length === 4 && third === 'user' && fourth !== undefined && USER_PREFIX.test(fourth)) {
    return { ok: true, ref: { kind: 'user', id, runtime, sizeClass: second, market: 'on-demand', userPrefix: fourth } };
  }
  return bad('expected <runtime>/<sizeClass>[/spot|/reserved|/user/<12 hex>] or <runtime>/var');
}

export function basePoolId(runtime: string, sizeClass: FixedSizeClass): string {
  return `${runtime}/${sizeClass}`;
}

export function userPoolId(runtime: string, sizeClass: FixedSizeClass, userKey: string): string {
  return `${runtime}/${sizeClass}/user/${userKey.slice(0, 12).toLowerCase()}`;
}
