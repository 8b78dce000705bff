// A lean producer for the normalized topic: one socket per partition leader, Produce v7
// (supported by Kafka 0.11 .. 4.x and by the embedded broker), one whole record batch per
// partition built into one exactly-sized Buffer (record-batch.ts), acks=all. kafkajs encodes
// each record in JS objects on the way (~24-53k msg/s here); this path builds each partition's
// batch in one pass. Partitioning is Kafka's default for keyed records (murmur2 of the key,
// positive, modulo the partition count), so records land where kafkajs or the Java client
// would put them (test/shell/lean-forwarder.test.ts checks this against kafkajs).
//
// Not idempotent (no producer id): a retried request may duplicate records, which the
// at-least-once contract already allows (eventId is the idempotency key). One request in
// flight per forwarder: per-key order holds.
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import type { SchemaRegistryClient } from '@confluentinc/schemaregistry';
import { ApiKey, decodeResponse, encodeRequest } from '@warmcast/kafka-protocol';
import type { MetadataResponse, ProduceResponse } from '@warmcast/kafka-protocol';
import { Topics, ValueCodec, WarmcastError, topicSpec } from '@warmcast/kit';
import type { Logger, NormalizedEvent, NormalizedEventInput } from '@warmcast/kit';
import { MAX_REQUEST_BYTES } from './forwarder.ts';
import type { Forwarder } from './forwarder.ts';
import { encodePlainBatch } from './record-batch.ts';
import type { PlainRecord } from './record-batch.ts';

const PRODUCE_VERSION = 7;
const METADATA_VERSION = 5;
const ATTEMPTS = 3;

/** Kafka's murmur2 (org.apache.kafka.common.utils.Utils.murmur2), 32-bit. */
export function murmur2(data: Buffer): number {
  const m = 0x5bd1e995;
  const length = data.length;
  let h = (0x9747b28c ^ length) | 0;
  const length4 = length >> 2;
  for (let i = 0; i < length4; i++) {
    const i4 = i * 4;
    let k = (data[i4]! & 0xff) | ((data[i4 + 1]! & 0xff) << 8) | ((data[i4 + 2]! & 0xff) << 16) | ((data[i4 + 3]! & 0xff) << 24);
    k = Math.imul(k, m);
    k ^= k >>> 24;
    k = Math.imul(k, m);
    h = Math.imul(h, m) ^ k;
  }
  const rest = length & 3;
  const tail = length & ~3;
  if (rest === 3) h ^= (data[tail + 2]! & 0xff) << 16;
  if (rest >= 2) h ^= (data[tail + 1]! & 0xff) << 8;
  if (rest >= 1) { h ^= data[tail]! & 0xff; h = Math.imul(h, m); }
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h;
}

export function partitionOf(key: Buffer, partitions: number): number {
  return (murmur2(key) & 0x7fffffff) % partitions;
}

/** One broker connection: size-prefixed frames, responses matched by correlation id. */
class Connection {
  private readonly socket: Socket;
  private buffer: Buffer = Buffer.alloc(0);
  private readonly waiting = new Map<number, { apiKey: number; version: number; resolve(body: unknown): void; reject(err: unknown): void }>();
  private nextId = 1;
  readonly ready: Promise<void>;
  private failed: Error | undefined;

  constructor(host: string, port: number, private readonly clientId: string) {
    this.socket = connect({ host, port, noDelay: true });
    this.ready = new Promise((resolve, reject) => {
      this.socket.once('connect', () => resolve());
      this.socket.once('error', reject);
    });
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    const fail = (err: Error): void => {
      this.failed = err;
      for (const w of this.waiting.values()) w.reject(err);
      this.waiting.clear();
    };
    this.socket.on('error', fail);
    this.socket.on('close', () => fail(new Error(`connection to ${host}:${port} closed`)));
  }

  get broken(): boolean { return this.failed !== undefined; }

  request<T>(apiKey: number, version: number, body: object): Promise<T> {
    if (this.failed !== undefined) return Promise.reject(this.failed);
    const correlationId = this.nextId++;
    const frame = encodeRequest({ requestApiKey: apiKey, requestApiVersion: version, correlationId, clientId: this.clientId }, body);
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(correlationId, { apiKey, version, resolve: resolve as (b: unknown) => void, reject });
      this.socket.write(frame);
    });
  }

  private onData(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    while (this.buffer.length >= 4) {
      const size = this.buffer.readInt32BE(0);
      if (this.buffer.length < 4 + size) return;
      const frame = this.buffer.subarray(4, 4 + size);
      this.buffer = this.buffer.subarray(4 + size);
      const id = frame.readInt32BE(0);
      const w = this.waiting.get(id);
      if (w === undefined) continue;
      this.waiting.delete(id);
      try {
        w.resolve(decodeResponse(w.apiKey, w.version, frame).body);
      } catch (err) {
        w.reject(err);
      }
    }
  }

  close(): void { this.socket.destroy(); }
}

export interface LeanForwarderOptions {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly registry: SchemaRegistryClient;
  readonly log: Logger;
  readonly topic?: string;
  /** Produce request timeout (ms) the broker waits for acks. */
  readonly timeoutMs?: number;
}

interface Layout {
  readonly partitions: number;
  readonly leaders: Map<number, number>; // partition -> node id
  readonly nodes: Map<number, { host: string; port: number }>;
}

/**
 * Key bytes and murmur2 hash per key string: users repeat (the sample has ~1.5k users for 100k
 * events), so the per-record Buffer.from(key) (64 hex chars) and the 16-step hash are done once
 * per user. Cleared wholesale when full, like the pseudonymizer's cache.
 */
export class KeyCache {
  private readonly map = new Map<string, { readonly bytes: Buffer; readonly hash: number }>();
  constructor(private readonly max = 100_000) {}
  get(key: string): { readonly bytes: Buffer; readonly hash: number } {
    let k = this.map.get(key);
    if (k === undefined) {
      if (this.map.size >= this.max) this.map.clear();
      const bytes = Buffer.from(key, 'utf8');
      k = { bytes, hash: murmur2(bytes) & 0x7fffffff };
      this.map.set(key, k);
    }
    return k;
  }
  get size(): number { return this.map.size; }
}

interface KeyedRecord extends PlainRecord { readonly hash: number }

export class LeanForwarder implements Forwarder {
  sent = 0;
  private readonly keys = new KeyCache();
  private readonly topic: string;
  private readonly encoder: ValueCodec<NormalizedEvent, NormalizedEventInput>;
  private readonly connections = new Map<string, Connection>();
  private layout: Layout | undefined;
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly o: LeanForwarderOptions) {
    this.topic = o.topic ?? Topics.execEventNormalized;
    this.encoder = new ValueCodec(o.registry, this.topic, topicSpec(this.topic as typeof Topics.execEventNormalized).schemaText);
  }

  async start(): Promise<void> {
    await this.encoder.prepare();
    this.layout = await this.fetchLayout();
  }

  send(messages: readonly { key: string; value: NormalizedEventInput }[]): Promise<void> {
    if (messages.length === 0) return Promise.resolve();
    // Encode now (synchronously, in call order); send one request at a time.
    this.encoder.refreshIfStale();
    const records = messages.map((m): KeyedRecord => {
      const k = this.keys.get(m.key);
      return { key: k.bytes, hash: k.hash, value: this.encoder.encodeSync(m.value), timestamp: m.value.ingestedAt };
    });
    const run = this.chain.then(() => this.sendWithRetry(records));
    this.chain = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    await this.chain;
    for (const c of this.connections.values()) c.close();
    this.connections.clear();
  }

  private async sendWithRetry(records: KeyedRecord[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.sendOnce(records);
        this.sent += records.length;
        return;
      } catch (err) {
        if (attempt >= ATTEMPTS) throw new WarmcastError('PRODUCE_FAILED', `send ${records.length} to ${this.topic}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
        this.o.log.warn({ err, attempt }, 'lean produce failed; refreshing metadata and retrying');
        for (const c of this.connections.values()) if (c.broken) c.close();
        this.layout = await this.fetchLayout().catch(() => this.layout);
      }
    }
  }

  private async sendOnce(records: KeyedRecord[]): Promise<void> {
    const layout = this.layout ?? await this.fetchLayout();
    const byPartition = new Map<number, PlainRecord[]>();
    for (const r of records) {
      const p = r.hash % layout.partitions; // = partitionOf(r.key, partitions)
      let list = byPartition.get(p);
      if (list === undefined) { list = []; byPartition.set(p, list); }
      list.push(r);
    }
    // Per leader, one Produce request; each partition's records split into batches <= 900 KB.
    const byLeader = new Map<number, { index: number; records: Buffer }[]>();
    for (const [p, list] of byPartition) {
      const leader = layout.leaders.get(p);
      if (leader === undefined) throw new Error(`no leader for ${this.topic}/${p}`);
      let requests = byLeader.get(leader);
      if (requests === undefined) { requests = []; byLeader.set(leader, requests); }
      for (const chunk of chunkRecords(list)) requests.push({ index: p, records: encodePlainBatch(chunk) });
    }
    await Promise.all([...byLeader].map(async ([leader, parts]) => {
      const conn = await this.connection(layout, leader);
      // A partition may appear several times (several batches): Kafka takes one entry per
      // partition per request, so send rounds of at most one batch per partition.
      for (const round of rounds(parts)) {
        const res = await conn.request<ProduceResponse>(ApiKey.Produce, PRODUCE_VERSION, { transactionalId: null, acks: -1, timeoutMs: this.o.timeoutMs ?? 30_000, topicData: [{ name: this.topic, partitionData: round }] });
        for (const t of res.responses) for (const p of t.partitionResponses) {
          if (p.errorCode !== 0) throw new Error(`produce ${t.name}/${p.index}: Kafka error ${p.errorCode}`);
        }
      }
    }));
  }

  private async connection(layout: Layout, nodeId: number): Promise<Connection> {
    const node = layout.nodes.get(nodeId);
    if (node === undefined) throw new Error(`broker ${nodeId} not in metadata`);
    return this.connectTo(node.host, node.port);
  }

  private async connectTo(host: string, port: number): Promise<Connection> {
    const key = `${host}:${port}`;
    let c = this.connections.get(key);
    if (c === undefined || c.broken) {
      c = new Connection(host, port, this.o.clientId);
      this.connections.set(key, c);
    }
    await c.ready;
    return c;
  }

  private async fetchLayout(): Promise<Layout> {
    let lastErr: unknown;
    for (const b of this.o.brokers) {
      const at = b.lastIndexOf(':');
      try {
        const conn = await this.connectTo(b.slice(0, at), Number(b.slice(at + 1)));
        const md = await conn.request<MetadataResponse>(ApiKey.Metadata, METADATA_VERSION, { topics: [{ name: this.topic }], allowAutoTopicCreation: false });
        const t = md.topics.find((x) => x.name === this.topic);
        if (t === undefined || t.errorCode !== 0 || t.partitions.length === 0) throw new Error(`topic ${this.topic}: metadata error ${t?.errorCode ?? 'missing'}`);
        return {
          partitions: t.partitions.length,
          leaders: new Map(t.partitions.map((p) => [p.partitionIndex, p.leaderId])),
          nodes: new Map(md.brokers.map((n) => [n.nodeId, { host: n.host, port: n.port }])),
        };
      } catch (err) {
        lastErr = err;
      }
    }
    throw new WarmcastError('PRODUCE_FAILED', `metadata for ${this.topic} from ${this.o.brokers.join(',')}: ${lastErr instanceof Error ? lastErr.message : String(lastErr)}`, { cause: lastErr });
  }
}

function chunkRecords(list: PlainRecord[]): PlainRecord[][] {
  const out: PlainRecord[][] = [];
  let cur: PlainRecord[] = [];
  let bytes = 0;
  for (const r of list) {
    const size = r.value.length + r.key.length + 20;
    if (cur.length > 0 && bytes + size > MAX_REQUEST_BYTES) { out.push(cur); cur = []; bytes = 0; }
    cur.push(r);
    bytes += size;
  }
  if (cur.length > 0) out.push(cur);
  return out;
}

function rounds<T extends { index: number }>(parts: T[]): T[][] {
  const out: T[][] = [];
  for (const p of parts) {
    const round = out.find((r) => !r.some((x) => x.index === p.index));
    if (round === undefined) out.push([p]); else round.push(p);
  }
  return out;
}
