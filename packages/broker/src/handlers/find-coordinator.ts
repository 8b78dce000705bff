/**
 * FindCoordinator (key 10), versions 0-2 (v3+ flexible, v4+ batched keys: not advertised).
 * Single-node broker: this node coordinates every group. librdkafka enables its group
 * consumer only when v0 is advertised (CLIENT_NOTES §2.3). Key type 1 (transactions) gets
 * COORDINATOR_NOT_AVAILABLE because the broker has no transaction coordinator.
 */
import { GroupError } from '../core/group-errors.ts';
import type { FindCoordinatorRequest, FindCoordinatorResponse } from '@warmcast/kafka-protocol';
import type { ApiHandler } from './handler.ts';

export const findCoordinatorHandler: ApiHandler<FindCoordinatorRequest, FindCoordinatorResponse> = {
  apiKey: 10,
  minVersion: 0,
  maxVersion: 2,
  handle(broker, request) {
    if (request.keyType !== 0) {
      return {
        throttleTimeMs: 0, errorCode: GroupError.COORDINATOR_NOT_AVAILABLE,
        errorMessage: 'transactions are not supported by this broker', nodeId: -1, host: '', port: -1, coordinators: [],
      };
    }
    return { throttleTimeMs: 0, errorCode: GroupError.NONE, errorMessage: null, nodeId: broker.nodeId, host: broker.host, port: broker.port, coordinators: [] };
  },
};
