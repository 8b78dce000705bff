import { metadataFor } from './group-protocol.ts';
import type { GroupPhase, GroupState } from './group-types.ts';

export interface GroupDescription {
  readonly groupId: string;
  readonly state: GroupPhase;
  readonly protocolType: string;
  /** The selected protocol, shown only while Stable (as Kafka's GroupSummary). */
  readonly protocolData: string;
  readonly members: readonly {
    memberId: string; groupInstanceId: string | null; clientId: string; clientHost: string;
    metadata: Uint8Array; assignment: Uint8Array;
  }[];
}

const NONE = new Uint8Array(0);

/**
 * DescribeGroups view. An unknown group is "Dead" with no error (kafkajs admin.setOffsets
 * requires Empty or Dead); a group known only by its committed offsets is "Empty".
 * Metadata and assignments are shown only while Stable, as Kafka does.
 */
export function describeGroup(groupId: string, state: GroupState | undefined, hasOffsets: boolean): GroupDescription {
  if (state === undefined) {
    return { groupId, state: hasOffsets ? 'Empty' : 'Dead', protocolType: '', protocolData: '', members: [] };
  }
  const stable = state.phase === 'Stable';
  return {
    groupId, state: state.phase, protocolType: state.protocolType,
    protocolData: stable ? (state.protocolName ?? '') : '',
    members: state.members.map((m) => ({
      memberId: m.memberId, groupInstanceId: m.groupInstanceId, clientId: m.clientId, clientHost: m.clientHost,
      metadata: stable ? metadataFor(m, state.protocolName) : NONE, assignment: stable ? m.assignment : NONE,
    })),
  };
}

/** Should the group stay in the coordinator's table (a fresh Empty group with no history need not)? */
export function worthKeeping(g: GroupState): boolean {
  return g.phase !== 'Dead' && (g.members.length > 0 || g.pendingMembers.length > 0 || g.generationId > 0 || g.phase !== 'Empty');
}
