// The live summary of the one-command stack: what went in, what the pipeline made of it, and
// what users felt (the simulator's counts). Pure: the shell passes every service's stats() and
// the wall time; rates are per wall second between two snapshots.
export type Stats = Readonly<Record<string, number>>;

export interface StackSnapshot {
  /** wall ms */
  readonly at: number;
  /** trace event time reached by the publisher, ms (null before the first event) */
  readonly eventTime: number | null;
  readonly publisher: Stats;
  readonly ingest: Stats;
  readonly profiler: Stats;
  readonly aggregator: Stats;
  readonly scaler: Stats;
  readonly adapters: Stats;
  readonly sink: Stats;
}

export interface Summary {
  readonly eventTime: number | null;
  readonly eventsPublished: number;
  readonly eventsPerSec: number;
  readonly eventsIngested: number;
  readonly deadLettered: number;
  readonly users: number;
  readonly forecasts: number;
  readonly demandRecords: number;
  readonly commands: number;
  readonly requestsServed: number;
  readonly warmHits: number;
  readonly coldStarts: number;
  readonly coldStartPct: number;
  readonly queued: number;
  readonly idleVmMinutes: number;
  /** The simulator's shadow run of the same requests without any command (prediction off). */
  readonly baselineColdStartPct: number;
  readonly baselineIdleVmMinutes: number;
  readonly cost: number;
  readonly rowsStored: number;
}

const n = (s: Stats, ...keys: string[]): number => {
  for (const k of keys) {
    const v = s[k];
    if (typeof v === 'number' && Number.isFinite(v)) return v;
  }
  return 0;
};

export function summarize(now: StackSnapshot, prev: StackSnapshot | null): Summary {
  const published = n(now.publisher, 'requests') + n(now.publisher, 'metrics');
  const before = prev === null ? 0 : n(prev.publisher, 'requests') + n(prev.publisher, 'metrics');
  const dt = prev === null ? 0 : (now.at - prev.at) / 1000;
  const served = n(now.adapters, 'requests');
  const cold = n(now.adapters, 'coldStarts');
  return {
    eventTime: now.eventTime,
    eventsPublished: published,
    eventsPerSec: dt > 0 ? (published - before) / dt : 0,
    eventsIngested: n(now.ingest, 'requests') + n(now.ingest, 'metrics'),
    deadLettered: n(now.ingest, 'rejected') + n(now.ingest, 'undecodable'),
    users: n(now.profiler, 'usersTracked'),
    forecasts: n(now.profiler, 'forecasts'),
    demandRecords: n(now.aggregator, 'demandPublished', 'demand'),
    commands: n(now.scaler, 'commandsPublished', 'commands'),
    requestsServed: served,
    warmHits: n(now.adapters, 'warmHits'),
    coldStarts: cold,
    coldStartPct: served > 0 ? (100 * cold) / served : 0,
    queued: n(now.adapters, 'queued'),
    idleVmMinutes: n(now.adapters, 'idleVmMinutes'),
    baselineColdStartPct: n(now.adapters, 'baselineColdStartPct'),
    baselineIdleVmMinutes: n(now.adapters, 'baselineIdleVmMinutes'),
    cost: n(now.adapters, 'cost'),
    // The sink counts rows per table (rows.<table>); ingest stores the raw events itself.
    rowsStored: Object.entries(now.sink).reduce((sum, [k, v]) => (k.startsWith('rows.') && Number.isFinite(v) ? sum + v : sum), 0) + n(now.ingest, 'rowsStored'),
  };
}

const fmt = (x: number, digits = 0): string => x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** One line for the terminal, e.g. `12:04 trace | 2,345 ev/s | 98 users | ...`. */
export function formatSummary(s: Summary): string {
  const clock = s.eventTime === null ? '--:--' : new Date(s.eventTime).toISOString().slice(11, 16);
  return [
    `${clock} trace`,
    `${fmt(s.eventsPerSec)} ev/s (${fmt(s.eventsPublished)} sent, ${fmt(s.eventsIngested)} ingested, ${fmt(s.deadLettered)} dead-lettered)`,
    `${fmt(s.users)} users`,
    `${fmt(s.forecasts)} forecasts`,
    `${fmt(s.commands)} commands`,
    `cold ${fmt(s.coldStartPct, 2)} % of ${fmt(s.requestsServed)} (no prediction: ${fmt(s.baselineColdStartPct, 2)} %)`,
    `idle ${fmt(s.idleVmMinutes, 1)} VM-min (no prediction: ${fmt(s.baselineIdleVmMinutes, 1)})`,
    `cost ${fmt(s.cost, 4)}`,
  ].join(' | ');
}
