/**
 * The one place that asks LogManager about topic shapes, so handlers do not depend on how
 * storage spells "how many partitions does this topic have".
 */
import type { LogManager } from '../storage/index.ts';

/** Topic names, sorted for stable Metadata answers. */
export function topicNames(logs: LogManager): string[] {
  return logs.topics().map((t) => t.name).sort();
}

/** Partition count of a topic, or undefined when it does not exist. */
export function partitionCount(logs: LogManager, topic: string): number | undefined {
  return logs.topics().find((t) => t.name === topic)?.partitions;
}
