// The embedded broker and registry on port 0 in a fresh temp dir, catalogue topics created
// with 1 partition, everything removed afterwards (the testkit's fixture).
import { startEmbedded } from '@warmcast/testkit';
import type { Embedded } from '@warmcast/testkit';

export type Stack = Pick<Embedded, 'brokers' | 'registryUrl' | 'kafka' | 'stop'>;

export function startStack(): Promise<Stack> {
  return startEmbedded({ name: 'scaler', ...(process.env['SCALER_TEST_LOG'] === undefined ? {} : { logLevel: process.env['SCALER_TEST_LOG'] }) });
}
