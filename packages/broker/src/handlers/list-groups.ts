/**
 * ListGroups (key 16), versions 0-2 (v3+ flexible: not advertised; kafkajs uses v2 to every
 * broker). Lists groups that have members, a generation history or committed offsets, with
 * their protocol type ("" for offset-only groups). statesFilter (v4+) is honoured if present.
 */
import { GroupError } from '../core/group-errors.ts';
import type { ListGroupsRequest, ListGroupsResponse } from '@warmcast/kafka-protocol';
import type { ApiHandler } from './handler.ts';

export const listGroupsHandler: ApiHandler<ListGroupsRequest, ListGroupsResponse> = {
  apiKey: 16,
  minVersion: 0,
  maxVersion: 2,
  handle(broker, request) {
    const states = new Set(request.statesFilter.map((s) => s.toLowerCase()));
    const groups = broker.groups.listGroups()
      .filter((g) => g.state !== 'Dead' && (states.size === 0 || states.has(g.state.toLowerCase())))
      .map((g) => ({ groupId: g.groupId, protocolType: g.protocolType, groupState: g.state, groupType: 'classic' }));
    return { throttleTimeMs: 0, errorCode: GroupError.NONE, groups };
  },
};
