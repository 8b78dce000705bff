// Embedded broker + registry on port 0 in a fresh temp dir, removed afterwards (the testkit's
// fixture), with the catalogue's topics at `partitions` partitions.
import { startEmbedded } from '@warmcast/testkit';
import type { Embedded } from '@warmcast/testkit';

export type Stack = Pick<Embedded, 'brokers' | 'registryUrl' | 'kafka' | 'stop'>;

export function startStack(partitions: number): Promise<Stack> {
  return startEmbedded({ name: 'aggregator', partitions });
}
