import type { Member, ProtocolOffer } from './group-types.ts';

/**
 * Protocol names every member supports, in the order the first member prefers them.
 * Example: A offers [range, roundrobin], B offers [roundrobin] -> [roundrobin].
 */
export function candidateProtocols(members: readonly Member[]): string[] {
  const first = members[0];
  if (first === undefined) return [];
  return first.protocols
    .map((p) => p.name)
    .filter((name) => members.every((m) => m.protocols.some((p) => p.name === name)));
}

/**
 * Can a member offering (protocolType, protocols) join a group with these members?
 * Empty group: any non-empty type and list. Otherwise the type must match and at least one
 * offered protocol must be supported by every current member (Kafka supportsProtocols).
 * A kafkajs member (RoundRobinAssigner) and a librdkafka one (range, roundrobin) fail this.
 */
export function supportsProtocols(
  members: readonly Member[], groupProtocolType: string, protocolType: string, protocols: readonly ProtocolOffer[],
): boolean {
  if (protocolType === '' || protocols.length === 0) return false;
  if (members.length === 0) return true;
  if (protocolType !== groupProtocolType) return false;
  const candidates = new Set(candidateProtocols(members));
  return protocols.some((p) => candidates.has(p.name));
}

/**
 * Kafka's selectProtocol: each member votes for its most preferred candidate; most votes wins.
 * Ties go to the candidate the first member prefers (Kafka leaves tie order unspecified).
 * pre: candidateProtocols(members) is non-empty.
 */
export function selectProtocol(members: readonly Member[]): string | null {
  const candidates = candidateProtocols(members);
  const votes = new Map<string, number>(candidates.map((c) => [c, 0]));
  for (const m of members) {
    const vote = m.protocols.find((p) => votes.has(p.name));
    if (vote !== undefined) votes.set(vote.name, (votes.get(vote.name) ?? 0) + 1);
  }
  let best: string | null = null;
  let bestVotes = -1;
  for (const c of candidates) {
    const v = votes.get(c) ?? 0;
    if (v > bestVotes) { best = c; bestVotes = v; }
  }
  return best;
}

export function metadataFor(member: Member, protocolName: string | null): Uint8Array {
  return member.protocols.find((p) => p.name === protocolName)?.metadata ?? new Uint8Array(0);
}

/** Same protocol names and metadata bytes in the same order (a rejoin without changes). */
export function sameProtocols(a: readonly ProtocolOffer[], b: readonly ProtocolOffer[]): boolean {
  return a.length === b.length && a.every((p, i) => {
    const q = b[i];
    return q !== undefined && q.name === p.name && bytesEqual(q.metadata, p.metadata);
  });
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
