// Pool id convention shared with the adapters (brief text, docs/scaler.md):
//   <runtime>/<sizeClass>                  default on-demand fixed pool, e.g. python3.12/M
//   <runtime>/<sizeClass>/spot | /reserved capacity market variants
//   <runtime>/var                          variable-resource pool (VMs resized individually)
//   <runtime>/<sizeClass>/user/<12 hex>    per-user sub-pool preloaded with a user's software
import type { PoolConfiguration, SizeClass } from '@warmcast/kit';

export const SIZE_CLASSES = ['XS', 'S', 'M', 'L', 'XL', 'GPU'] as const;
export type Tier = 'on-demand' | 'spot' | 'reserved';

export type ParsedPoolId =
  | { readonly kind: 'fixed'; readonly runtime: string; readonly sizeClass: SizeClass; readonly config: string; readonly tier: Tier }
  | { readonly kind: 'variable'; readonly runtime: string }
  | { readonly kind: 'user'; readonly runtime: string; readonly sizeClass: SizeClass; readonly config: string; readonly userPrefix: string };

function isSizeClass(s: string | undefined): s is SizeClass {
  return s !== undefined && (SIZE_CLASSES as readonly string[]).includes(s);
}

/** null when the id does not follow the convention (such pools are ignored, not guessed at). */
export function parsePoolId(id: string): ParsedPoolId | null {
  const [runtime, second, third, fourth, ...rest] = id.split('/');
  if (runtime === undefined || runtime === '' || rest.length > 0) return null;
  if (second === 'var' && third === undefined) return { kind: 'variable', runtime };
  if (!isSizeClass(second)) return null;
  const config = `${runtime}/${second}`;
  if (third === undefined) return { kind: 'fixed', runtime, sizeClass: second, config, tier: 'on-demand' };
  if ((third === 'spot' || third === 'reserved') && fourth === undefined) return { kind: 'fixed', runtime, sizeClass: second, config, tier: third };
  if (third === 'user' && fourth !== undefined && /^[0-9a-f]{12}$/.test(fourth)) return { kind: 'user', runtime, sizeClass: second, config, userPrefix: fourth };
  return null;
}

export function configKey(pool: { runtime: string; sizeClass: SizeClass }): string {
  return `${pool.runtime}/${pool.sizeClass}`;
}

export function tierPoolId(config: string, tier: Tier): string {
  return tier === 'on-demand' ? config : `${config}/${tier}`;
}

/** `<config>/user/<first 12 hex of userKey>` (userKey is the pseudonymous HMAC hex). */
export function userPoolId(config: string, userKey: string): string {
  return `${config}/user/${userKey.toLowerCase().slice(0, 12)}`;
}

export function variablePoolId(runtime: string): string {
  return `${runtime}/var`;
}

/** The PoolConfiguration record of a configuration key `rt/sc`. */
export function poolConfig(config: string): PoolConfiguration {
  const [runtime = config, sizeClass = 'UNKNOWN'] = config.split('/');
  return { runtime, sizeClass: isSizeClass(sizeClass) ? sizeClass : 'UNKNOWN' };
}
