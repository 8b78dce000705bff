import type { DeepPartial } from '@warmcast/kafka-protocol';
import { decodeRequest, decodeRequestHeader, decodeResponse, encodeRequest, encodeResponse } from '@warmcast/kafka-protocol';
import type { ApiHandler, RequestContext } from '../../src/handlers/handler.ts';
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

export function reqCtx(apiVersion: number, signal: AbortSignal = new AbortController().signal): RequestContext & { clientHost: string } {
  return { apiVersion, correlationId: 1, clientId: 'test-client', connectionId: 1, nowMs: 0, signal, clientHost: '127.0.0.1' };
}

/**
 * Calls a handler the way the server does, through the generated codec both ways: the request
 * is encoded at `version` and decoded (so version defaults apply, e.g. LeaveGroup v1 has no
 * members[]), and the response is encoded and decoded as the client would read it.
 */
export async function call<Req, Res>(
  h: ApiHandler<Req, Res>, broker: BrokerContext, version: number, body: DeepPartial<Req>, signal?: AbortSignal,
): Promise<Res> {
  const frame = encodeRequest({ requestApiKey: h.apiKey, requestApiVersion: version, correlationId: 7, clientId: 'test-client' }, body as object).subarray(4);
  const { bodyOffset } = decodeRequestHeader(frame);
  const request = decodeRequest(h.apiKey, version, frame, bodyOffset) as Req;
  const response = await h.handle(broker, request, reqCtx(version, signal));
  if (response === null) throw new Error('handler sent no response');
  const bytes = encodeResponse(h.apiKey, version, 7, response as object);
  return decodeResponse(h.apiKey, version, bytes.subarray(4)).body as Res;
}
