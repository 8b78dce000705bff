// Public shape of the profiler service (the factory is in service.ts).
import type { KitConfig, Logger } from '@warmcast/kit';
import type { ProfilerOptions } from './core/options.ts';
import type { ProducerKind } from './shell/lean-profiler-producer.ts';

export interface ProfilerServiceOptions extends Partial<ProfilerOptions> {
  readonly config: KitConfig;
  readonly logger?: Logger;
  /** Consumer group of the input topic; default config.groupId. Two processes with the same group split the partitions. */
  readonly groupId?: string;
  /** Read the input from the beginning when the group has no committed offset (default true: state is rebuilt from the changelog, never from a partial stream). */
  readonly fromBeginning?: boolean;
  /** Client producing the outputs; default DEFAULT_PRODUCER. Environments read WARMCAST_PROFILER_PRODUCER at their edge (main.ts, the stack) with profilerProducerFromEnv. */
  readonly producer?: ProducerKind;
  /** Serve the global models published on forecast.model.published.v1 (default true; with none published the profiler is as without). */
  readonly globalModels?: boolean;
}

export interface ProfilerService {
  start(): Promise<void>;
  close(): Promise<void>;
  /**
   * Live counters: eventsFolded, eventsSkipped (already in restored state), lateEvents,
   * deadLetters, ticks, forecasts, accuracyRecords, changelogEntries (counted once acked),
   * usersTracked, partitionsOwned, restores, restoredEntries, commits, flushFailures, foldMs (wall
   * ms decoding and folding), modelVersions / modelsUnreadable (the model feed), modelsApplied /
   * modelsLate / modelsRejected (per partition: on time, from the next tick, refused), and `lastOffset.p<N>` per owned partition: the last input offset
   * whose outputs are all acked (so "every partition at its end" means nothing is in flight).
   */
  stats(): Record<string, number>;
}
