/**
 * Every API the broker answers, one handler per key. ApiVersions advertises exactly this list
 * (with each handler's min/max), so registering a handler here is all it takes to offer it.
 * Ranges follow CLIENT_NOTES §3.
 */
import { apiVersionsHandler } from './api-versions.ts';
import { createPartitionsHandler } from './create-partitions.ts';
import { createTopicsHandler } from './create-topics.ts';
import { deleteGroupsHandler } from './delete-groups.ts';
import { deleteTopicsHandler } from './delete-topics.ts';
import { describeConfigsHandler } from './describe-configs.ts';
import { describeGroupsHandler } from './describe-groups.ts';
import { fetchHandler } from './fetch.ts';
import { findCoordinatorHandler } from './find-coordinator.ts';
import type { ApiHandler } from './handler.ts';
import { heartbeatHandler } from './heartbeat.ts';
import { initProducerIdHandler } from './init-producer-id.ts';
import { joinGroupHandler } from './join-group.ts';
import { leaveGroupHandler } from './leave-group.ts';
import { listGroupsHandler } from './list-groups.ts';
import { listOffsetsHandler } from './list-offsets.ts';
import { metadataHandler } from './metadata.ts';
import { offsetCommitHandler } from './offset-commit.ts';
import { offsetFetchHandler } from './offset-fetch.ts';
import { produceHandler } from './produce.ts';
import { syncGroupHandler } from './sync-group.ts';

export type { ApiHandler, RequestContext } from './handler.ts';

// Handlers are generic in their request/response types; the router sees them as unknown.
const others = [
  produceHandler,
  fetchHandler,
  listOffsetsHandler,
  metadataHandler,
  offsetCommitHandler,
  offsetFetchHandler,
  findCoordinatorHandler,
  joinGroupHandler,
  heartbeatHandler,
  leaveGroupHandler,
  syncGroupHandler,
  describeGroupsHandler,
  listGroupsHandler,
  createTopicsHandler,
  deleteTopicsHandler,
  initProducerIdHandler,
  createPartitionsHandler,
  deleteGroupsHandler,
  describeConfigsHandler,
] as unknown as readonly ApiHandler[];

export const handlers: readonly ApiHandler[] = Object.freeze([
  ...others,
  apiVersionsHandler(() => handlers) as unknown as ApiHandler,
]);
