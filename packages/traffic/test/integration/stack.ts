// Integration fixture: the embedded broker and registry on port 0 in a fresh temp dir (the
// testkit's), the catalogue's topics (1 partition each, enough here), schemas registered; all
// removed after. `topics: false` starts them bare (for `warmcast topics --create`).
import { startEmbedded } from '@warmcast/testkit';
import type { Embedded } from '@warmcast/testkit';

export type Stack = Pick<Embedded, 'brokers' | 'registryUrl' | 'kafka' | 'stop'>;

export function startStack(options: { topics?: boolean } = {}): Promise<Stack> {
  return startEmbedded({ name: 'traffic', topics: options.topics === false ? 'none' : 'all', registerSchemas: true });
}
