import type { Logger } from 'pino';
import { applyEvent, ErrorCodes, fail, isRegistryError, ok } from '../core/index.ts';
import type { Decision, RegistryState, Result } from '../core/index.ts';
import type { Journal } from '../store/journal.ts';

/**
 * The registry's one piece of mutable state and the only place that changes it: decide
 * (pure), make the events durable, then apply. Changes run one at a time (a promise
 * chain) so two concurrent registrations cannot both be handed the same id.
 */
export class RegistryService {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly state: RegistryState,
    private readonly journal: Journal,
    private readonly clock: () => number,
    private readonly log: Logger,
  ) {}

  read<T>(q: (state: RegistryState) => Result<T>): Result<T> {
    return q(this.state);
  }

  change(what: string, decide: (state: RegistryState, now: number) => Result<Decision>): Promise<Result<unknown>> {
    const run = async (): Promise<Result<unknown>> => {
      const d = decide(this.state, this.clock());
      if (!d.ok) return d;
      const { events, reply } = d.value;
      if (events.length > 0) {
        try {
          await this.journal.append(events);
        } catch (err) {
          this.log.error({ err, what }, 'journal write failed; change not applied');
          return isRegistryError(err) ? { ok: false, error: err } : fail(ErrorCodes.STORE_ERROR, 'Error while writing the journal', err);
        }
        for (const e of events) applyEvent(this.state, e);
        this.log.info({ what, events: events.map((e) => e.type) }, 'registry changed');
      }
      return ok(reply);
    };
    const p = this.tail.then(run);
    this.tail = p.catch(() => undefined);
    return p;
  }

  /** Resolves when every change accepted so far is durable and applied. */
  async drain(): Promise<void> {
    await this.tail;
  }
}
