/**
 * DescribeGroups (key 15), versions 0-4 (v5+ flexible: not advertised; kafkajs v2, librdkafka v4).
 * State names as Kafka: Stable, PreparingRebalance, CompletingRebalance, Empty, Dead.
 * An unknown group answers error 0 and state "Dead" (kafkajs admin.setOffsets requires Empty
 * or Dead). Member metadata/assignment and the protocol are shown only while Stable, as Kafka.
 * authorizedOperations (v3+) is "not requested" (INT32_MIN): the broker has no ACLs.
 */
import { GroupError } from '../core/group-errors.ts';
import { toBuffer } from '../groups/handler-support.ts';
import type { DescribeGroupsRequest, DescribeGroupsResponse } from '@warmcast/kafka-protocol';
import type { ApiHandler } from './handler.ts';

const NOT_REQUESTED = -2147483648;

export const describeGroupsHandler: ApiHandler<DescribeGroupsRequest, DescribeGroupsResponse> = {
  apiKey: 15,
  minVersion: 0,
  maxVersion: 4,
  handle(broker, request) {
    return {
      throttleTimeMs: 0,
      groups: broker.groups.describeGroups(request.groups).map((g) => ({
        errorCode: GroupError.NONE, groupId: g.groupId, groupState: g.state, protocolType: g.protocolType,
        protocolData: g.protocolData,
        members: g.members.map((m) => ({
          memberId: m.memberId, groupInstanceId: m.groupInstanceId, clientId: m.clientId, clientHost: m.clientHost,
          memberMetadata: toBuffer(m.metadata), memberAssignment: toBuffer(m.assignment),
        })),
        authorizedOperations: NOT_REQUESTED,
      })),
    };
  },
};
