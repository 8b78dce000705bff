// Value serde for one catalogued topic, Confluent wire format: 0x00, 4-byte big-endian
// schema id, Avro binary. Synchronous per value once the schemas are known; the registry is
// only asked per schema id (decode) and per refresh period (encode), never per message.
//
// Encoding writes with the subject's LATEST registered schema (what AvroSerializer's
// useLatestVersion did, and never auto-registers: CLIENT_NOTES 7.3). prepare() looks it up
// once and compiles it with avsc; encodeSync() then costs an avsc encode into a shared slab
// (frame-writer.ts), ~1-3 us against ~15-30 us for AvroSerializer.serialize (bench:codec).
//
// A new version registered while a process runs is picked up like the serializer's
// cacheLatestTtlSecs (300 s) did: refreshIfStale() (called by encode() and once per batch by
// TypedProducer.send) starts a background re-read once 300 s have passed since the last one;
// values keep being encoded with the previous schema until it lands. A failed refresh keeps
// the previous schema and is tried again 30 s later.
//
// Decoding resolves the writer's schema (looked up by id, cached here for the process's life:
// ids are immutable) against this process's own reader schema (the catalogue it was built
// with): Avro schema resolution. So a new consumer reading an old message gets the default of
// a field the new schema adds, and an old consumer drops fields it does not know. When the
// writer schema has the reader's canonical form (same fingerprint: the common case) the body
// is read with the reader type directly, without avsc's resolver (see README for the cost).
import avro from 'avsc';
import { RestError } from '@confluentinc/schemaregistry';
import type { SchemaRegistryClient } from '@confluentinc/schemaregistry';
import { WarmcastError, errorMessage } from '../errors.ts';
import type { Guard } from '../breaker.ts';
import { FrameWriter, HEADER_BYTES } from './frame-writer.ts';

export type DecodeResult<V> =
  | { readonly ok: true; readonly value: V; readonly schemaId: number }
  | { readonly ok: false; readonly code: 'DECODE_FAILED' | 'UNKNOWN_SCHEMA_ID'; readonly text: string; readonly retriable: boolean };

export interface ValueCodecOptions {
  /** Clock for the latest-schema refresh (ms). Default Date.now; tests pass a manual one. */
  readonly now?: () => number;
  /** How often the latest schema is re-read (ms). Default 300 000, the old cacheLatestTtlSecs. */
  readonly refreshMs?: number;
}

const REFRESH_MS = 300_000;
const REFRESH_RETRY_MS = 30_000;
type Resolver = ReturnType<avro.Type['createResolver']>;
/** How to read bodies of one writer schema id: resolver undefined = read with the reader type as is. */
type WriterView = { readonly resolver: Resolver | undefined } | { readonly broken: string };
interface Latest { readonly id: number; readonly type: avro.Type }

// One shared result object for every tombstone: frozen, since callers get the same instance.
const TOMBSTONE = Object.freeze({ ok: false, code: 'DECODE_FAILED', text: 'null value (tombstone) on a topic with an Avro value', retriable: false } as const);

export class ValueCodec<V, I = V> {
  readonly topic: string;
  readonly subject: string;
  private readonly client: SchemaRegistryClient;
  /** Runs registry lookups (e.g. through the registry circuit breaker); default: direct. */
  private readonly guard: Guard;
  private readonly reader: avro.Type;
  private readonly now: () => number;
  private readonly refreshMs: number;
  private readonly frames = new FrameWriter();
  private readonly writers = new Map<number, WriterView>();
  private latest: Latest | undefined;
  private preparing: Promise<void> | undefined;
  private refreshing: Promise<void> | undefined;
  private nextRefreshAt = 0;

  /** readerSchemaText: the schema this process was compiled against (catalogue). */
  constructor(client: SchemaRegistryClient, topic: string, readerSchemaText: string, guard: Guard = (call) => call(), options: ValueCodecOptions = {}) {
    this.client = client;
    this.guard = guard;
    this.topic = topic;
    this.subject = `${topic}-value`;
    this.reader = avro.Type.forSchema(JSON.parse(readerSchemaText) as avro.Schema);
    this.now = options.now ?? Date.now;
    this.refreshMs = options.refreshMs ?? REFRESH_MS;
  }

  /** True once encodeSync can be called. */
  get prepared(): boolean {
    return this.latest !== undefined;
  }

  /** Schema id values are written with (undefined before prepare()). */
  get writerSchemaId(): number | undefined {
    return this.latest?.id;
  }

  /** Looks up the subject's latest schema once and compiles it. Idempotent; concurrent calls share one lookup. */
  prepare(): Promise<void> {
    if (this.latest !== undefined) return Promise.resolve();
    this.preparing ??= this.loadLatest(false).finally(() => { this.preparing = undefined; });
    return this.preparing;
  }

  /** Starts a background re-read of the latest schema if refreshMs passed since the last one. Cheap: call once per batch. */
  refreshIfStale(): void {
    if (this.latest === undefined || this.refreshing !== undefined || this.now() < this.nextRefreshAt) return;
    this.refreshing = this.loadLatest(true)
      .catch(() => { this.nextRefreshAt = this.now() + REFRESH_RETRY_MS; }) // keep the previous schema
      .finally(() => { this.refreshing = undefined; });
  }

  /** Resolves when a refresh started by refreshIfStale() has finished (at once if none runs). */
  async settled(): Promise<void> {
    await this.refreshing;
  }

  /** Confluent-framed Avro. Throws ENCODE_FAILED for a value that does not match the schema, SHUTDOWN before prepare(). */
  encodeSync(value: I): Buffer {
    const latest = this.latest;
    if (latest === undefined) throw new WarmcastError('SHUTDOWN', `encode ${this.topic}: codec not prepared (await prepare() or encode() first)`);
    try {
      return this.frames.write(latest.id, latest.type, value);
    } catch (err) {
      throw new WarmcastError('ENCODE_FAILED', `encode ${this.topic}: ${errorMessage(err)}`, { cause: err });
    }
  }

  /** Prepares on first use, then encodes synchronously. */
  async encode(value: I): Promise<Buffer> {
    if (this.latest === undefined) await this.prepare();
    else this.refreshIfStale();
    return this.encodeSync(value);
  }

  /**
   * Decodes without waiting. undefined ONLY when the writer schema id was not looked up yet:
   * then await decode(), which looks it up and caches it. Every other outcome (tombstone, bad
   * framing, a body that does not decode) is the same DecodeResult decode() gives.
   */
  decodeSync(bytes: Buffer | null): DecodeResult<V> | undefined {
    if (bytes === null) return TOMBSTONE;
    if (bytes.length < HEADER_BYTES || bytes[0] !== 0) {
      return { ok: false, code: 'DECODE_FAILED', text: `not Confluent wire format: ${bytes.length} bytes, first byte ${bytes[0] ?? 'none'} (want magic 0 + 4-byte id)`, retriable: false };
    }
    const schemaId = bytes.readInt32BE(1);
    const view = this.writers.get(schemaId);
    if (view === undefined) return undefined;
    if ('broken' in view) return { ok: false, code: 'DECODE_FAILED', text: view.broken, retriable: false };
    try {
      const value = this.reader.fromBuffer(bytes.subarray(HEADER_BYTES), view.resolver) as V;
      return { ok: true, value, schemaId };
    } catch (err) {
      return { ok: false, code: 'DECODE_FAILED', text: `Avro body of schema id ${schemaId} does not decode: ${errorMessage(err)}`, retriable: false };
    }
  }

  async decode(bytes: Buffer | null): Promise<DecodeResult<V>> {
    const done = this.decodeSync(bytes);
    if (done !== undefined) return done;
    if (bytes === null) return TOMBSTONE; // unreachable: decodeSync answered it; narrows the type
    const schemaId = bytes.readInt32BE(1);
    const failed = await this.lookUpWriter(schemaId);
    if (failed !== undefined) return failed;
    const result = this.decodeSync(bytes);
    if (result === undefined) throw new Error(`decode ${this.topic}: schema id ${schemaId} still unknown after its lookup`); // unreachable
    return result;
  }

  private async lookUpWriter(schemaId: number): Promise<DecodeResult<V> | undefined> {
    let writerText: string;
    try {
      writerText = (await this.guard(() => this.client.getBySubjectAndId(this.subject, schemaId))).schema;
    } catch (err) {
      // Not cached: the id may become known (registry restored), and a registry that is down is
      // not the message's fault (retry, do not dead-letter).
      if (err instanceof RestError && err.status === 404) return { ok: false, code: 'UNKNOWN_SCHEMA_ID', text: `schema id ${schemaId} unknown to the registry (${err.message})`, retriable: false };
      return { ok: false, code: 'UNKNOWN_SCHEMA_ID', text: `schema id ${schemaId} lookup failed: ${errorMessage(err)}`, retriable: true };
    }
    this.writers.set(schemaId, this.viewOf(schemaId, writerText));
    return undefined;
  }

  private viewOf(schemaId: number, writerText: string): WriterView {
    try {
      const writer = avro.Type.forSchema(JSON.parse(writerText) as avro.Schema);
      if (writer.fingerprint().equals(this.reader.fingerprint())) return { resolver: undefined };
      return { resolver: this.reader.createResolver(writer) };
    } catch (err) {
      return { broken: `writer schema ${schemaId} cannot be read as ${this.subject}: ${errorMessage(err)}` };
    }
  }

  private async loadLatest(refresh: boolean): Promise<void> {
    let meta;
    try {
      // The client caches "latest" for its own 300 s: a refresh must not read that cache.
      if (refresh) this.client.clearLatestCaches();
      meta = await this.guard(() => this.client.getLatestSchemaMetadata(this.subject));
    } catch (err) {
      throw latestError(this.topic, err);
    } finally {
      this.nextRefreshAt = this.now() + this.refreshMs;
    }
    if (meta.id === undefined || meta.schema === undefined) {
      throw new WarmcastError('REGISTRY_UNAVAILABLE', `encode ${this.topic}: latest schema of ${this.subject} came without id or schema`);
    }
    if (meta.id === this.latest?.id) return;
    let type: avro.Type;
    try {
      type = avro.Type.forSchema(JSON.parse(meta.schema) as avro.Schema);
    } catch (err) {
      throw new WarmcastError('ENCODE_FAILED', `encode ${this.topic}: latest schema ${meta.id} of ${this.subject} does not compile: ${errorMessage(err)}`, { cause: err });
    }
    this.latest = { id: meta.id, type };
  }
}

// As the serializer's errors were mapped: 5xx and 404 (subject not registered yet) retriable.
function latestError(topic: string, err: unknown): WarmcastError {
  if (err instanceof WarmcastError) return err; // e.g. CIRCUIT_OPEN from the guard
  if (err instanceof RestError) {
    return new WarmcastError('REGISTRY_UNAVAILABLE', `encode ${topic}: ${err.message}`, { cause: err, retriable: err.status >= 500 || err.status === 404 });
  }
  return new WarmcastError('REGISTRY_UNAVAILABLE', `encode ${topic}: latest schema lookup failed: ${errorMessage(err)}`, { cause: err });
}
