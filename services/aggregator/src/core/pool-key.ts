// Pool keys: "<runtime>/<sizeClass>", as in UserForecast.poolMix and the demand topic's key.
import type { PoolConfigurationInput, SizeClass } from '@warmcast/kit';

const SIZE_CLASSES: readonly SizeClass[] = ['XS', 'S', 'M', 'L', 'XL', 'GPU', 'UNKNOWN'];

/** "python3.12/M" -> { runtime: "python3.12", sizeClass: "M" }; undefined when malformed. */
export function parsePoolKey(key: string): PoolConfigurationInput | undefined {
  const i = key.lastIndexOf('/');
  if (i <= 0 || i === key.length - 1) return undefined;
  const sizeClass = key.slice(i + 1);
  if (!(SIZE_CLASSES as readonly string[]).includes(sizeClass)) return undefined;
  return { runtime: key.slice(0, i), sizeClass: sizeClass as SizeClass };
}

export function poolKey(pool: PoolConfigurationInput): string {
  return `${pool.runtime}/${pool.sizeClass}`;
}
