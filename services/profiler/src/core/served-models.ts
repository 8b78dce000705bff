// The global models a partition serves: the published combiner versions offered to it and the
// minute each applies from. A version applies from its effectiveFromMinute; one that arrives
// after the partition already ticked past that minute applies from the next tick and is late
// (appliedFrom in @warmcast/forecast). The (version, fromMinute) pairs are part of the partition's
// checkpoint, so a restored partition applies each version from the same minute as the live one
// did, whenever the version reaches it this time; the coefficients come from the model topic.
import { ServedCombiner, appliedFrom, combinerVersionProblem } from '@warmcast/forecast';
import type { CombinerVersion } from '@warmcast/forecast';

export type OfferOutcome = 'applied' | 'late' | 'known' | 'rejected';

export class ServedModels {
  private readonly offered = new Map<number, CombinerVersion>();
  /** version -> fromMinute, as checkpointed */
  private readonly from = new Map<number, number>();
  private combiner: ServedCombiner | undefined;

  /** The served combiner, or undefined before any version (the profiler then is exactly as without models). */
  get served(): ServedCombiner | undefined {
    return this.combiner;
  }

  /** What the checkpoint stores: [version, fromMinute], ascending by version. */
  recorded(): [number, number][] {
    return [...this.from].sort((a, b) => a[0] - b[0]);
  }

  /** Replaces the record with a checkpoint's (restore); versions offered before keep it or are placed by nextTickMinute. */
  restore(recorded: readonly (readonly [number, number])[], nextTickMinute: number | undefined): void {
    this.from.clear();
    for (const [v, m] of recorded) this.from.set(v, m);
    for (const v of this.offered.values()) if (!this.from.has(v.version)) this.from.set(v.version, appliedFrom(v, nextTickMinute).fromMinute);
    this.rebuild();
  }

  /**
   * A version reaches the partition. pre: nextTickMinute = the first minute not yet forecast
   * (undefined before the first event). Returns 'rejected' for a version this code cannot serve
   * (combinerVersionProblem, or a feature layout other than the versions already served).
   */
  offer(v: CombinerVersion, nextTickMinute: number | undefined): { outcome: OfferOutcome; problem?: string } {
    const have = this.offered.get(v.version);
    if (have) return { outcome: 'known' };
    const problem = combinerVersionProblem(v) ?? this.layoutProblem(v);
    if (problem !== undefined) return { outcome: 'rejected', problem };
    this.offered.set(v.version, v);
    let outcome: OfferOutcome = 'applied';
    if (!this.from.has(v.version)) {
      const a = appliedFrom(v, nextTickMinute);
      this.from.set(v.version, a.fromMinute);
      if (a.late) outcome = 'late';
    }
    this.rebuild();
    return { outcome };
  }

  private layoutProblem(v: CombinerVersion): string | undefined {
    const first = this.offered.values().next().value;
    if (!first || (first.featureNames.join('|') === v.featureNames.join('|') && first.bands === v.bands)) return undefined;
    return `combiner version ${v.version}: featureNames/bands differ from version ${first.version} already served; restart the profiler to switch feature layouts`;
  }

  private rebuild(): void {
    const applied = [...this.offered.values()].flatMap((model) => {
      const fromMinute = this.from.get(model.version);
      return fromMinute === undefined ? [] : [{ model, fromMinute }];
    });
    applied.sort((a, b) => a.model.version - b.model.version);
    this.combiner = applied.length > 0 ? new ServedCombiner(applied) : undefined;
  }
}
