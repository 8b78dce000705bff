/** Kafka message JSON model and version-range helpers used by generate.ts. */

export interface FieldSpec {
  name: string; type: string; versions?: string; nullableVersions?: string; taggedVersions?: string;
  tag?: number; default?: string | number | boolean; flexibleVersions?: string; fields?: FieldSpec[]; about?: string;
}
export interface MessageSpec {
  apiKey?: number; type: 'request' | 'response' | 'header' | 'data'; name: string; validVersions: string;
  flexibleVersions: string; fields: FieldSpec[]; commonStructs?: { name: string; versions?: string; fields: FieldSpec[] }[];
}

export interface Range { lo: number; hi: number }
export const INF = 1 << 30;

export function parseRange(s: string | undefined): Range | null {
  if (s === undefined || s === 'none') return null;
  const t = s.trim();
  if (t.endsWith('+')) return { lo: Number(t.slice(0, -1)), hi: INF };
  const dash = t.indexOf('-');
  if (dash > 0) return { lo: Number(t.slice(0, dash)), hi: Number(t.slice(dash + 1)) };
  return { lo: Number(t), hi: Number(t) };
}

export function intersect(a: Range | null, b: Range | null): Range | null {
  if (a === null || b === null) return null;
  const lo = Math.max(a.lo, b.lo);
  const hi = Math.min(a.hi, b.hi);
  return lo <= hi ? { lo, hi } : null;
}

/** Condition on `v` for range r, knowing v is within valid. Returns 'true'/'false' when constant. */
export function cond(r: Range | null, valid: Range): string {
  const x = intersect(r, valid);
  if (x === null) return 'false';
  const parts: string[] = [];
  if (x.lo > valid.lo) parts.push(`v >= ${x.lo}`);
  if (x.hi < valid.hi) parts.push(`v <= ${x.hi}`);
  return parts.length === 0 ? 'true' : parts.join(' && ');
}

export const camel = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1);
export const kebab = (s: string): string => s.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();

export function stripComments(text: string): string {
  return text.split('\n').filter((l) => !l.trim().startsWith('//')).join('\n');
}
