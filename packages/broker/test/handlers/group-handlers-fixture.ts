import type { RequestContext } from '../../src/handlers/handler.ts';
import { GroupCoordinator } from '../../src/groups/coordinator.ts';
import type { BrokerContext } from '../../src/server/context.ts';
import { FakeOffsetStore, ManualTime, silentLog } from '../groups/fakes.ts';

/**
 * A BrokerContext with a real GroupCoordinator (manual clock, in-memory offsets) and a log
 * manager fake that knows topic "t" with partitions 0-2. Only what group handlers use.
 */
export function groupBroker(): { broker: BrokerContext; time: ManualTime; store: FakeOffsetStore; close(): Promise<void> } {
  const time = new ManualTime();
  const store = new FakeOffsetStore();
  const groups = new GroupCoordinator({ offsets: store, clock: time.clock, log: silentLog, scheduler: time, initialRebalanceDelayMs: 50 });
  groups.start();
  const logs = { partition: (topic: string, p: number) => (topic === 't' && p >= 0 && p < 3 ? { topic, p } : undefined) };
  const broker = {
    nodeId: 1, host: '127.0.0.1', port: 19092, clusterId: 'test', groups, offsets: store, logs, clock: time.clock, log: silentLog,
  } as unknown as BrokerContext;
  return { broker, time, store, close: () => groups.close() };
}

export function reqCtx(apiVersion: number, signal = new AbortController().signal): RequestContext & { clientHost: string } {
  return { apiVersion, correlationId: 1, clientId: 'test-client', connectionId: 1, nowMs: 0, signal, clientHost: '127.0.0.1' };
}
