/**
 * DeleteGroups (key 42), versions 0-1 (v2 flexible: not advertised).
 * Only groups without members (Empty, or known only by offsets) can go: NON_EMPTY_GROUP (68)
 * otherwise; an unknown group gets GROUP_ID_NOT_FOUND (69). Deleting drops the group's
 * committed offsets and stored metadata.
 */
import type { DeleteGroupsRequest, DeleteGroupsResponse } from '@warmcast/kafka-protocol';
import type { ApiHandler } from './handler.ts';

export const deleteGroupsHandler: ApiHandler<DeleteGroupsRequest, DeleteGroupsResponse> = {
  apiKey: 42,
  minVersion: 0,
  maxVersion: 1,
  async handle(broker, request) {
    return { throttleTimeMs: 0, results: await broker.groups.deleteGroups(request.groupsNames) };
  },
};
