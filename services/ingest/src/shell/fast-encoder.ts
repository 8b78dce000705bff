// Confluent-framed Avro for the normalized topic without a per-message registry round trip:
// look up the subject's latest schema once at start (as the kit's serializer does with
// useLatestVersion), compile it with avsc, then each value is 5 header bytes + toBuffer().
// ~2-4 us per event here, against ~15-30 us through AvroSerializer.serialize.
import avro from 'avsc';
import type { SchemaRegistryClient } from '@confluentinc/schemaregistry';
import { WarmcastError, registryError } from '@warmcast/kit';

export class FastValueEncoder<V> {
  readonly subject: string;
  private type: avro.Type | undefined;
  private header: Buffer = Buffer.alloc(5);
  schemaId = -1;

  constructor(private readonly registry: SchemaRegistryClient, topic: string) {
    this.subject = `${topic}-value`;
  }

  async start(): Promise<void> {
    let meta;
    try {
      meta = await this.registry.getLatestSchemaMetadata(this.subject);
    } catch (err) {
      throw registryError(err, `latest schema of ${this.subject}`);
    }
    if (meta.id === undefined || meta.schema === undefined) throw new WarmcastError('REGISTRY_UNAVAILABLE', `latest schema of ${this.subject}: registry answered without id or schema`);
    this.type = avro.Type.forSchema(JSON.parse(meta.schema) as avro.Schema);
    this.schemaId = meta.id;
    this.header = Buffer.from([0, 0, 0, 0, 0]);
    this.header.writeInt32BE(meta.id, 1);
  }

  encode(value: V): Buffer {
    if (this.type === undefined) throw new WarmcastError('SHUTDOWN', `${this.subject}: encoder not started`);
    let body: Buffer;
    try {
      body = this.type.toBuffer(value);
    } catch (err) {
      throw new WarmcastError('ENCODE_FAILED', `encode ${this.subject}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    return Buffer.concat([this.header, body], 5 + body.length);
  }
}
