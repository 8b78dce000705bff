/**
 * The Kafka error codes the group coordinator produces (closed list). Numbers come from the
 * codec's ErrorCode, the repo's one table; the codec is pure, so the core may import it.
 */
import { pickErrorCodes } from '@warmcast/kafka-protocol';

export const GroupError = pickErrorCodes([
  'UNKNOWN_SERVER_ERROR',
  'NONE',
  'UNKNOWN_TOPIC_OR_PARTITION',
  'OFFSET_METADATA_TOO_LARGE',
  'COORDINATOR_NOT_AVAILABLE',
  'NOT_COORDINATOR',
  'ILLEGAL_GENERATION',
  'INCONSISTENT_GROUP_PROTOCOL',
  'INVALID_GROUP_ID',
  'UNKNOWN_MEMBER_ID',
  'INVALID_SESSION_TIMEOUT',
  'REBALANCE_IN_PROGRESS',
  'NON_EMPTY_GROUP',
  'GROUP_ID_NOT_FOUND',
  'MEMBER_ID_REQUIRED',
]);

export type GroupErrorCode = (typeof GroupError)[keyof typeof GroupError];
