// Connections and metadata. Two sockets per broker at most: 'group' (JoinGroup can block for a
// whole rebalance, Heartbeat must not wait behind a Fetch) and 'fetch' (a Fetch holds the socket
// for up to maxWaitMs). Kafka serves one request per connection at a time, so sharing one socket
// would delay heartbeats by up to maxWaitMs each.
import { ApiKey, ErrorCode } from '@warmcast/kafka-protocol';
import type { MetadataResponse } from '@warmcast/kafka-protocol';
import { Connection } from './connection.ts';
import { LeanClientError } from './errors.ts';

const METADATA_VERSION = 5;

export type Lane = 'group' | 'fetch';

export interface Layout {
  /** topic -> partition -> leader node id */
  readonly leaders: Map<string, Map<number, number>>;
  readonly nodes: Map<number, { host: string; port: number }>;
}

export class Cluster {
  private readonly connections = new Map<string, Connection>();

  constructor(private readonly brokers: readonly string[], private readonly clientId: string) {}

  async connectTo(host: string, port: number, lane: Lane): Promise<Connection> {
    const key = `${lane} ${host}:${port}`;
    let c = this.connections.get(key);
    if (c === undefined || c.broken) {
      c = new Connection(host, port, this.clientId);
      this.connections.set(key, c);
    }
    await c.ready;
    return c;
  }

  async node(layout: Layout, nodeId: number, lane: Lane): Promise<Connection> {
    const n = layout.nodes.get(nodeId);
    if (n === undefined) throw new LeanClientError('CONNECTION_FAILED', `broker ${nodeId} not in metadata`);
    return this.connectTo(n.host, n.port, lane);
  }

  /** Any bootstrap broker that answers, in order. */
  async any<T>(lane: Lane, fn: (c: Connection) => Promise<T>): Promise<T> {
    let lastErr: unknown;
    for (const b of this.brokers) {
      const at = b.lastIndexOf(':');
      try {
        return await fn(await this.connectTo(b.slice(0, at), Number(b.slice(at + 1)), lane));
      } catch (err) {
        if (err instanceof LeanClientError && !err.retriable) throw err;
        lastErr = err;
      }
    }
    throw lastErr instanceof LeanClientError ? lastErr : new LeanClientError('CONNECTION_FAILED', `no broker of ${this.brokers.join(',')} answered: ${String(lastErr)}`, { cause: lastErr });
  }

  /** Leaders of the topics' partitions. Unknown topic: UNKNOWN_TOPIC (not retriable). */
  async layout(topics: readonly string[]): Promise<Layout> {
    const md = await this.any('group', (c) => c.request<MetadataResponse>(ApiKey.Metadata, METADATA_VERSION, { topics: topics.map((name) => ({ name })), allowAutoTopicCreation: false }));
    const leaders = new Map<string, Map<number, number>>();
    for (const t of md.topics) {
      const name = t.name ?? '';
      if (t.errorCode === ErrorCode.UNKNOWN_TOPIC_OR_PARTITION || t.errorCode === ErrorCode.INVALID_TOPIC_EXCEPTION) {
        throw new LeanClientError('UNKNOWN_TOPIC', `topic ${name} does not exist (Kafka error ${t.errorCode})`, { kafkaCode: t.errorCode });
      }
      if (t.errorCode !== 0) throw new LeanClientError('CONNECTION_FAILED', `metadata for ${name}: Kafka error ${t.errorCode}`, { retriable: true, kafkaCode: t.errorCode });
      leaders.set(name, new Map(t.partitions.map((p) => [p.partitionIndex, p.leaderId])));
    }
    return { leaders, nodes: new Map(md.brokers.map((n) => [n.nodeId, { host: n.host, port: n.port }])) };
  }

  /** Drops broken sockets (all of them with everything=true). */
  reset(everything = false): void {
    for (const [k, c] of this.connections) {
      if (everything || c.broken) { c.close(); this.connections.delete(k); }
    }
  }
}
