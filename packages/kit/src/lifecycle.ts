// start()/close() for a service. Components start in stage order and close in reverse:
//   start: http (so /livez answers during start-up) -> producers -> sinks -> consumers
//   close: consumers (stop consuming, all at once) -> sinks (flush) -> producers (close) -> http
// Consumers stop first so no new work arrives; sinks flush what was handled so its offsets
// can be committed; producers close last because flushing sinks may still produce.
export type Stage = 'http' | 'producer' | 'sink' | 'consumer';

export const START_ORDER: readonly Stage[] = ['http', 'producer', 'sink', 'consumer'];

export interface Component {
  readonly name: string;
  readonly stage: Stage;
  start(): Promise<void>;
  close(): Promise<void>;
}

export interface LifecycleEvents {
  onError?(component: Component, phase: 'start' | 'close', err: unknown): void;
}

export class Lifecycle {
  private readonly components: Component[] = [];
  private started: Component[] = [];
  private state: 'idle' | 'started' | 'closing' | 'closed' = 'idle';
  private readonly events: LifecycleEvents;

  constructor(events: LifecycleEvents = {}) {
    this.events = events;
  }

  add(component: Component): this {
    if (this.state !== 'idle') throw new Error(`cannot add ${component.name}: lifecycle already ${this.state}`);
    this.components.push(component);
    return this;
  }

  /** Components in the order start() runs them (stable within a stage). */
  startOrder(): Component[] {
    return START_ORDER.flatMap((stage) => this.components.filter((c) => c.stage === stage));
  }

  async start(): Promise<void> {
    if (this.state !== 'idle') throw new Error(`start: lifecycle already ${this.state}`);
    this.state = 'started';
    for (const c of this.startOrder()) {
      try {
        await c.start();
      } catch (err) {
        this.events.onError?.(c, 'start', err);
        await this.close(); // undo what started, in reverse
        throw err;
      }
      this.started.push(c);
    }
  }

  /** Closes every started component in reverse start order; keeps going past errors, throws the first. */
  async close(): Promise<void> {
    if (this.state === 'closing' || this.state === 'closed') return;
    this.state = 'closing';
    const closeOne = async (c: Component): Promise<unknown> => {
      try {
        await c.close();
        return undefined;
      } catch (err) {
        this.events.onError?.(c, 'close', err);
        return err;
      }
    };
    const reversed = [...this.started].reverse();
    // Consumers are independent of each other and each waits out its in-flight fetch (kafkajs's
    // maxWaitTime, 5 s) when it stops: closed one after another, a service with three of them
    // took 15 s and missed its 10 s shutdown limit. They close together; the rest in order.
    const errors = await Promise.all(reversed.filter((c) => c.stage === 'consumer').map(closeOne));
    for (const c of reversed) if (c.stage !== 'consumer') errors.push(await closeOne(c));
    const first = errors.find((e) => e !== undefined);
    this.started = [];
    this.state = 'closed';
    if (first !== undefined) throw first;
  }
}
