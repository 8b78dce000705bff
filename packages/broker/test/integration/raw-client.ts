/**
 * A minimal Kafka client over a raw socket, for tests that must control the exact bytes
 * (resending one Produce batch, fuzzing). Uses the generated codec for requests/responses.
 */
import { connect, type Socket } from 'node:net';
import { decodeResponse, encodeRecordBatch, encodeRequest } from '@warmcast/kafka-protocol';

export class RawClient {
  private buf = Buffer.alloc(0);
  private waiters: ((frame: Buffer) => void)[] = [];
  private corr = 1;
  closed = false;
  private closeWaiters: (() => void)[] = [];

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buf = Buffer.concat([this.buf, chunk]);
      while (this.buf.length >= 4) {
        const size = this.buf.readInt32BE(0);
        if (this.buf.length < 4 + size) break;
        const frame = this.buf.subarray(4, 4 + size);
        this.buf = this.buf.subarray(4 + size);
        this.waiters.shift()?.(frame);
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.closed = true;
      for (const w of this.closeWaiters.splice(0)) w();
    });
  }

  static open(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const s = connect(port, '127.0.0.1', () => resolve(new RawClient(s)));
      s.once('error', reject);
    });
  }

  /** Sends one request and resolves with the decoded response body. */
  async request<T>(apiKey: number, apiVersion: number, body: object): Promise<T> {
    const correlationId = this.corr++;
    const frame = encodeRequest({ requestApiKey: apiKey, requestApiVersion: apiVersion, correlationId, clientId: 'raw' }, body);
    const response = new Promise<Buffer>((resolve) => this.waiters.push(resolve));
    this.socket.write(frame);
    const decoded = decodeResponse(apiKey, apiVersion, await response);
    if (decoded.correlationId !== correlationId) throw new Error(`correlation ${decoded.correlationId} != ${correlationId}`);
    return decoded.body as T;
  }

  /** Sends a request that gets no response (Produce acks=0). */
  send(apiKey: number, apiVersion: number, body: object): void {
    const correlationId = this.corr++;
    this.socket.write(encodeRequest({ requestApiKey: apiKey, requestApiVersion: apiVersion, correlationId, clientId: 'raw' }, body));
  }

  /** Raw bytes in, raw response frame out (or undefined if the broker closed the connection). */
  sendRaw(bytes: Buffer, expectResponse: boolean): Promise<Buffer | undefined> {
    const closed = new Promise<undefined>((resolve) => {
      if (this.closed) resolve(undefined);
      else this.closeWaiters.push(() => resolve(undefined));
    });
    const response = expectResponse ? new Promise<Buffer>((resolve) => this.waiters.push(resolve)) : closed;
    this.socket.write(bytes);
    return Promise.race([response, closed]);
  }

  whenClosed(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => this.closeWaiters.push(resolve));
  }

  close(): void {
    this.socket.destroy();
  }
}

/** A record batch v2 (uncompressed) with the given producer fields, CRC-32C filled in (the codec's encoder). */
export function recordBatch(values: string[], opts: { producerId?: bigint; producerEpoch?: number; baseSequence?: number; timestamp?: bigint } = {}): Buffer {
  const ts = opts.timestamp ?? 1_700_000_000_000n;
  return encodeRecordBatch({
    records: values.map((v) => ({ key: null, value: v, timestamp: ts })),
    producerId: opts.producerId ?? -1n,
    producerEpoch: opts.producerEpoch ?? -1,
    baseSequence: opts.baseSequence ?? -1,
  });
}
