// Validation of a provisioning command against the pool-id convention and its kind's required
// fields. Pure. An invalid command is REJECTED with the reason; it never throws.
import type { ProvisionCommand } from '@warmcast/kit';
import { parsePoolId } from './pool-id.ts';
import type { PoolRef } from './pool-id.ts';

export type CheckedCommand =
  | { readonly ok: true; readonly ref: PoolRef; readonly target: PoolRef | null }
  | { readonly ok: false; readonly error: string };

const positiveInt = (n: number | null): boolean => n !== null && Number.isInteger(n) && n >= 1;
const positive = (n: number | null): boolean => n !== null && Number.isFinite(n) && n > 0;

function matchesConfig(ref: PoolRef, cmd: ProvisionCommand): string | null {
  if (cmd.pool.runtime !== ref.runtime) return `pool.runtime ${JSON.stringify(cmd.pool.runtime)} differs from pool id ${JSON.stringify(ref.id)}`;
  if (ref.kind !== 'var' && cmd.pool.sizeClass !== ref.sizeClass) return `pool.sizeClass ${cmd.pool.sizeClass} differs from pool id ${JSON.stringify(ref.id)}`;
  return null;
}

export function checkCommand(cmd: ProvisionCommand): CheckedCommand {
  const bad = (error: string): CheckedCommand => ({ ok: false, error });
  if (cmd.kind === 'UNKNOWN') return bad('kind UNKNOWN: expected LAUNCH, TERMINATE, RESIZE, PRELOAD or MIGRATE');
  const parsed = parsePoolId(cmd.poolId);
  if (!parsed.ok) return bad(parsed.error);
  const ref = parsed.ref;
  const mismatch = matchesConfig(ref, cmd);
  if (mismatch !== null) return bad(mismatch);
  const oneOrCount = cmd.vmId !== null || positiveInt(cmd.count);
  switch (cmd.kind) {
    case 'LAUNCH':
      if (ref.kind === 'user') return bad('LAUNCH into a per-user sub-pool: use PRELOAD');
      return positiveInt(cmd.count) ? { ok: true, ref, target: null } : bad(`LAUNCH needs count >= 1, got ${String(cmd.count)}`);
    case 'TERMINATE':
      return oneOrCount ? { ok: true, ref, target: null } : bad('TERMINATE needs vmId or count >= 1');
    case 'RESIZE':
      if (!positive(cmd.cpuCores) && !positive(cmd.memoryMb)) return bad('RESIZE needs cpuCores > 0 or memoryMb > 0');
      if ((cmd.cpuCores !== null && !positive(cmd.cpuCores)) || (cmd.memoryMb !== null && !positive(cmd.memoryMb))) return bad('RESIZE sizes must be > 0 when set');
      return { ok: true, ref, target: null };
    case 'PRELOAD':
      if (ref.kind !== 'user') return bad(`PRELOAD targets a per-user sub-pool <runtime>/<sizeClass>/user/<12 hex>, got ${JSON.stringify(cmd.poolId)}`);
      if (cmd.preloadProfile === null || cmd.preloadProfile === '') return bad('PRELOAD needs preloadProfile');
      return positiveInt(cmd.count) ? { ok: true, ref, target: null } : bad(`PRELOAD needs count >= 1, got ${String(cmd.count)}`);
    case 'MIGRATE': {
      if (!oneOrCount) return bad('MIGRATE needs vmId or count >= 1');
      if (cmd.targetPoolId === null) return bad('MIGRATE needs targetPoolId');
      const target = parsePoolId(cmd.targetPoolId);
      if (!target.ok) return bad(`targetPoolId: ${target.error}`);
      if (target.ref.runtime !== ref.runtime) return bad(`MIGRATE between runtimes (${ref.runtime} -> ${target.ref.runtime}) is not possible`);
      if (target.ref.id === ref.id) return bad('MIGRATE to the same pool');
      return { ok: true, ref, target: target.ref };
    }
  }
}
