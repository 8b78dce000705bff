// The scaler's thin shell: consume the inputs (newest per key), run the pure decide() when a
// demand window completes (all configured horizons of a pool, or a short wall-clock debounce
// when some horizon never comes), on pool status changes and on CRITICAL anomalies; publish
// the commands keyed by poolId. Decisions are serialized; the decider state advances only
// after the commands are acknowledged, so a failed publish re-decides with the same ids.
import { performance } from 'node:perf_hooks';
import { KitService, Topics } from '@warmcast/kit';
import type { KitConfig, Logger } from '@warmcast/kit';
import { decide } from './core/decide.ts';
import type { Decision } from './core/decide.ts';
import type { HeavyUser, Reservation } from './core/inputs.ts';
import { DEFAULT_POLICY } from './core/policy.ts';
import type { ScalerPolicy } from './core/policy.ts';
import { INITIAL_STATE } from './core/state.ts';
import type { ScalerState } from './core/state.ts';
import { heavyUsers } from './core/heavy-users.ts';
import { InputStore } from './input-store.ts';
import { InputConsumers } from './consumers.ts';
import { LatencyWindow } from './latency.ts';

export interface ScalerServiceOptions {
  readonly config: KitConfig;
  readonly logger?: Logger;
  /** Parsed policy (parsePolicy); default DEFAULT_POLICY (enforce, documented defaults). */
  readonly policy?: ScalerPolicy;
  /** Bookings known at start; more via addReservation(). */
  readonly reservations?: readonly Reservation[];
  /** Heavy users named by the operator, next to those found in per-user forecasts. */
  readonly heavyUsers?: readonly HeavyUser[];
  /** Consume forecast.user.published.v1 to find heavy users (default true). */
  readonly heavyUsersFromForecasts?: boolean;
  /** Wall-clock wait for the missing horizons of a window before deciding anyway (ms, default 100). */
  readonly debounceMs?: number;
  /** Read input topics from the beginning for a new consumer group (default true). */
  readonly fromBeginning?: boolean;
  /** Called after each published decision (tests, bench, the stack's summary). */
  readonly onDecision?: (decision: Decision, now: number) => void;
}

export interface ScalerService {
  readonly log: Logger;
  start(): Promise<void>;
  close(): Promise<void>;
  stats(): Record<string, number>;
  addReservation(r: Reservation): void;
  /** Marks the forecaster failed (every pool uses its fallback capacity) or recovered. Stale demand is detected without this. */
  setForecasterFailed(failed: boolean): void;
  /** Runs a decision at the newest event time now (e.g. after addReservation). */
  decideNow(): Promise<void>;
}

export function createScalerService(options: ScalerServiceOptions): ScalerService {
  return new Scaler(options);
}

class Scaler implements ScalerService {
  readonly log: Logger;
  private readonly kit: KitService;
  private readonly policy: ScalerPolicy;
  private readonly store: InputStore;
  private readonly latency = new LatencyWindow(1000);
  /** Decisions a demand window triggered (the loop's latency: window on the topic -> its commands acked). */
  private readonly demandLatency = new LatencyWindow(1000);
  private state: ScalerState = INITIAL_STATE;
  private chain: Promise<void> = Promise.resolve();
  /** The queued decision (at most one waits behind the running one) and what it stands for. */
  private queued: { promise: Promise<void>; trigger: string; arrived: number } | null = null;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private heavyCache: { version: number; users: readonly HeavyUser[] } = { version: -1, users: [] };
  private readonly counters = { demandReceived: 0, statusReceived: 0, clusterReceived: 0, anomaliesReceived: 0, resultsReceived: 0, forecastsReceived: 0, decisions: 0, decisionsFailed: 0, commandsPublished: 0, dryRunCommands: 0 };

  constructor(private readonly o: ScalerServiceOptions) {
    this.policy = o.policy ?? DEFAULT_POLICY;
    this.store = new InputStore(this.policy.global.horizons, this.policy.global.anomalyHoldMs);
    this.store.reservations = [...(o.reservations ?? [])];
    this.kit = new KitService({ config: o.config, ...(o.logger === undefined ? {} : { logger: o.logger }) });
    this.log = this.kit.log.child({ unit: 'scaler' });
    const inputs = new InputConsumers(this.kit, o.fromBeginning ?? true)
      .add({ topic: Topics.demandPoolAggregated, group: 'demand', handler: async (msg) => {
        const arrived = performance.now();
        this.counters.demandReceived++;
        const r = this.store.addDemand(msg.value, `${msg.topic}/${msg.partition}/${msg.offset}`);
        if (r.complete) await this.run('demand-window', arrived);
        else this.debounce(arrived);
      } })
      .add({ topic: Topics.poolStatusReported, group: 'status', handler: async (msg) => {
        const arrived = performance.now();
        this.counters.statusReceived++;
        if (this.store.addStatus(msg.value)) await this.run('pool-status', arrived);
      } })
      .add({ topic: Topics.demandClusterAggregated, group: 'cluster', handler: async (msg) => {
        this.counters.clusterReceived++;
        this.store.addCluster(msg.value, `${msg.topic}/${msg.partition}/${msg.offset}`);
      } })
      .add({ topic: Topics.feedbackAnomalyDetected, group: 'anomaly', handler: async (msg) => {
        const arrived = performance.now();
        this.counters.anomaliesReceived++;
        this.store.addAnomaly(msg.value);
        if (msg.value.severity === 'CRITICAL') await this.run('anomaly', arrived);
      } })
      .add({ topic: Topics.provisionCommandApplied, group: 'results', handler: async (msg) => {
        this.counters.resultsReceived++;
        this.store.addResult(msg.value);
      } });
    if (o.heavyUsersFromForecasts ?? true) {
      inputs.add({ topic: Topics.forecastUserPublished, group: 'forecasts', handler: async (msg) => {
        this.counters.forecastsReceived++;
        this.store.addForecast(msg.value);
      } });
    }
    // A 'sink' to the kit's lifecycle: it starts after the producer and closes before it. The
    // debounce component is added first, so it closes after the consumers stopped and waits
    // for the running decision before the producer goes.
    this.kit.addSink({ name: 'scaler-debounce', start: async () => {}, close: async () => { this.closed = true; clearTimeout(this.timer); await this.chain; } });
    this.kit.addSink({ name: 'scaler-inputs', start: () => inputs.start(), close: () => inputs.close() });
  }

  async start(): Promise<void> {
    await this.kit.start();
    this.log.info({ mode: this.policy.defaults.mode, pools: Object.keys(this.policy.pools) }, 'scaler started');
  }

  /** Consumers stop, then the debounce sink waits for the running decision, then the producer closes. */
  async close(): Promise<void> {
    await this.kit.close();
  }

  stats(): Record<string, number> {
    return {
      ...this.counters,
      lastDecisionLatencyMs: this.latency.last,
      p99DecisionLatencyMs: this.latency.quantile(0.99),
      maxDecisionLatencyMs: this.latency.max,
      p50DemandDecisionLatencyMs: this.demandLatency.quantile(0.5),
      p99DemandDecisionLatencyMs: this.demandLatency.quantile(0.99),
      maxDemandDecisionLatencyMs: this.demandLatency.max,
      inFlightCommands: this.state.inFlight.length,
      eventTimeMs: this.store.eventNow,
    };
  }

  setForecasterFailed(failed: boolean): void {
    this.store.forecasterFailed = failed;
  }

  addReservation(r: Reservation): void {
    this.store.reservations = [...this.store.reservations.filter((x) => x.reservationId !== r.reservationId), r];
  }

  decideNow(): Promise<void> {
    return this.run('manual', performance.now());
  }

  private debounce(arrived: number): void {
    if (this.timer !== undefined || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.run('demand-debounce', arrived).catch((err: unknown) => this.log.error({ err }, 'debounced decision failed'));
    }, this.o.debounceMs ?? 100);
    this.timer.unref();
  }

  /**
   * Heavy users from per-user forecasts, recomputed only when demand changed: status changes
   * trigger most decisions, and the scan is O(users x pool mix).
   */
  private forecastHeavyUsers(): readonly HeavyUser[] {
    if (!(this.o.heavyUsersFromForecasts ?? true)) return [];
    if (this.heavyCache.version !== this.store.demandVersion) {
      this.heavyCache = { version: this.store.demandVersion, users: heavyUsers(this.store.userForecasts(), this.store.demandRefs(), minShare(this.policy)) };
    }
    return this.heavyCache.users;
  }

  /**
   * Serialized: one decision at a time. Inputs that arrive while one runs share ONE queued
   * decision: decide() reads the newest snapshot anyway, so a queue of one decision per pool
   * status message only delayed the decision a closing demand window needs (bench:loop: p99
   * 1.45 s from demand to its first command behind bursts of status-triggered decisions).
   * The queued decision carries the earliest arrival (latency) and a demand trigger if any.
   */
  private run(trigger: string, arrived: number): Promise<void> {
    const q = this.queued;
    if (q !== null) {
      q.arrived = Math.min(q.arrived, arrived);
      if (trigger.startsWith('demand')) q.trigger = trigger;
      return q.promise;
    }
    const entry = { promise: Promise.resolve(), trigger, arrived };
    entry.promise = this.chain.then(() => {
      this.queued = null; // from here on, new inputs queue the next decision
      return this.once(entry.trigger, entry.arrived);
    });
    this.queued = entry;
    this.chain = entry.promise.catch(() => undefined);
    return entry.promise;
  }

  private async once(trigger: string, arrived: number): Promise<void> {
    if (this.closed) return; // closing: the producer may be gone; the inputs are re-read on restart
    if (trigger.startsWith('demand')) { clearTimeout(this.timer); this.timer = undefined; }
    const now = this.store.eventNow;
    if (now === 0) return; // no event seen yet: nothing to decide on
    const heavy = [...(this.o.heavyUsers ?? []), ...this.forecastHeavyUsers()];
    const input = this.store.snapshot(heavy);
    const d = decide(this.policy, this.state, input, now);
    if (d.commands.length > 0) {
      try {
        await this.kit.producer.send(Topics.provisionCommandIssued, d.commands.map((c) => ({ key: c.poolId, value: c })));
      } catch (err) {
        this.counters.decisionsFailed++;
        this.store.restoreResults(input.results);
        throw err;
      }
    }
    this.state = d.state;
    const ms = performance.now() - arrived;
    this.latency.add(ms);
    if (trigger.startsWith('demand')) this.demandLatency.add(ms);
    this.counters.decisions++;
    this.counters.commandsPublished += d.commands.length;
    this.counters.dryRunCommands += d.commands.filter((c) => c.dryRun).length;
    for (const c of d.commands) this.log.info({ commandId: c.commandId, kind: c.kind, poolId: c.poolId, count: c.count, dryRun: c.dryRun, rule: c.reason.rule, forecastRef: c.reason.forecastRef }, 'command issued');
    this.log.debug({ trigger, now, latencyMs: ms, notes: d.notes }, 'decision');
    this.o.onDecision?.(d, now);
  }
}

function minShare(policy: ScalerPolicy): number {
  let m = policy.defaults.preload.shareThreshold;
  for (const o of Object.values(policy.pools)) if (o.preload?.shareThreshold !== undefined) m = Math.min(m, o.preload.shareThreshold);
  return m;
}
