// A small 5-field cron matcher (minute hour day-of-month month day-of-week, UTC) for scheduled
// override windows such as `0 9 * * 1-5` for 8 h. Supports *, n, a-b, lists and /step;
// day-of-week 0-7 (0 and 7 = Sunday); when both day fields are restricted either may match
// (Vixie cron semantics).

export interface Cron {
  readonly minutes: ReadonlySet<number>;
  readonly hours: ReadonlySet<number>;
  readonly days: ReadonlySet<number>;
  readonly months: ReadonlySet<number>;
  readonly weekdays: ReadonlySet<number>;
  readonly dayRestricted: boolean;
  readonly weekdayRestricted: boolean;
}

const RANGES: readonly (readonly [number, number])[] = [[0, 59], [0, 23], [1, 31], [1, 12], [0, 7]];

function parseField(field: string, min: number, max: number): Set<number> | string {
  const out = new Set<number>();
  for (const part of field.split(',')) {
    const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (m === null) return `"${part}" is not *, n, a-b or a list/step of them`;
    const lo = m[1] === '*' ? min : Number(m[2]);
    const hi = m[1] === '*' ? max : m[3] !== undefined ? Number(m[3]) : m[4] !== undefined ? max : lo;
    const step = m[4] !== undefined ? Number(m[4]) : 1;
    if (lo < min || hi > max || lo > hi || step < 1) return `"${part}" is outside ${min}-${max}`;
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
}

/** A parsed expression, or an error text naming the bad field. */
export function parseCron(expr: string): Cron | string {
  const fields = expr.trim().split(/\s+/);
  if (fields.length !== 5) return `needs 5 fields (minute hour day month weekday), got ${fields.length}`;
  const sets: Set<number>[] = [];
  for (let i = 0; i < 5; i++) {
    const [lo, hi] = RANGES[i] ?? [0, 0];
    const s = parseField(fields[i] ?? '', lo, hi);
    if (typeof s === 'string') return `field ${i + 1} ${s}`;
    sets.push(s);
  }
  const [minutes, hours, days, months, weekdays] = sets as [Set<number>, Set<number>, Set<number>, Set<number>, Set<number>];
  if (weekdays.has(7)) weekdays.add(0);
  return { minutes, hours, days, months, weekdays, dayRestricted: fields[2] !== '*', weekdayRestricted: fields[4] !== '*' };
}

function dayMatches(c: Cron, d: Date): boolean {
  const dom = c.days.has(d.getUTCDate());
  const dow = c.weekdays.has(d.getUTCDay());
  if (c.dayRestricted && c.weekdayRestricted) return dom || dow;
  return dom && dow;
}

/** True when a minute matching `c` lies in (nowMs - durationMs, nowMs]. */
export function windowActive(c: Cron, durationMs: number, nowMs: number): boolean {
  const MIN = 60_000;
  let t = Math.floor(nowMs / MIN) * MIN;
  const earliest = nowMs - durationMs;
  while (t > earliest) {
    const d = new Date(t);
    if (!c.months.has(d.getUTCMonth() + 1) || !dayMatches(c, d)) {
      t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - MIN; // last minute of the previous day
      continue;
    }
    if (!c.hours.has(d.getUTCHours())) {
      t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours()) - MIN;
      continue;
    }
    if (c.minutes.has(d.getUTCMinutes())) return true;
    t -= MIN;
  }
  return false;
}
