/**
 * Heartbeat (key 12), versions 0-3 (v4+ flexible: not advertised). kafkajs and librdkafka
 * send one every 3 s. Refreshes the member's session; answers REBALANCE_IN_PROGRESS (27)
 * while the group is PreparingRebalance (how members learn to rejoin), UNKNOWN_MEMBER_ID (25)
 * after the member expired or left, ILLEGAL_GENERATION (22) for an old generation.
 */
import type { HeartbeatRequest, HeartbeatResponse } from '@warmcast/kafka-protocol';
import type { ApiHandler } from './handler.ts';

export const heartbeatHandler: ApiHandler<HeartbeatRequest, HeartbeatResponse> = {
  apiKey: 12,
  minVersion: 0,
  maxVersion: 3,
  handle(broker, request) {
    return { throttleTimeMs: 0, errorCode: broker.groups.heartbeat(request) };
  },
};
