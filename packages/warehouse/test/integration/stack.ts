// The embedded broker and registry on port 0 in a fresh temp dir (the testkit's fixture), with
// the catalogue's topics created at 1 partition; removed by stop().
import { startEmbedded } from '@warmcast/testkit';
import type { Embedded } from '@warmcast/testkit';

export type Stack = Pick<Embedded, 'brokers' | 'registryUrl' | 'dir' | 'kafka' | 'stop'>;

export function startStack(): Promise<Stack> {
  return startEmbedded({ name: 'wh-stack' });
}
