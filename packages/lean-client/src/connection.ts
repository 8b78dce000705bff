// One broker connection: size-prefixed frames, responses matched by correlation id, several
// requests in flight (a Fetch waiting maxWaitMs and a Heartbeat share the coordinator socket).
// Large Fetch responses arrive in many chunks; they are gathered in a list and joined once
// (Buffer.concat per chunk would copy a 4 MB response ~60 times at 64 KB reads).
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { decodeResponse, encodeRequest } from '@warmcast/kafka-protocol';
import { LeanClientError } from './errors.ts';

interface Waiter { apiKey: number; version: number; resolve(body: unknown): void; reject(err: unknown): void }

export class Connection {
  private readonly socket: Socket;
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** Frame size of the response being gathered (-1: size prefix not read yet). */
  private need = -1;
  private readonly waiting = new Map<number, Waiter>();
  private nextId = 1;
  readonly ready: Promise<void>;
  private failed: Error | undefined;

  constructor(readonly host: string, readonly port: number, private readonly clientId: string) {
    this.socket = connect({ host, port, noDelay: true });
    this.ready = new Promise((resolve, reject) => {
      this.socket.once('connect', () => resolve());
      this.socket.once('error', (err) => reject(new LeanClientError('CONNECTION_FAILED', `connect ${host}:${port}: ${err.message}`, { cause: err })));
    });
    this.ready.catch(() => undefined);
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    this.socket.on('error', (err) => this.fail(new LeanClientError('CONNECTION_FAILED', `${host}:${port}: ${err.message}`, { cause: err })));
    this.socket.on('close', () => this.fail(new LeanClientError('CONNECTION_FAILED', `connection to ${host}:${port} closed`)));
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

  close(): void {
    this.fail(new LeanClientError('CONNECTION_FAILED', `connection to ${this.host}:${this.port} closed by the client`, { retriable: false }));
    this.socket.destroy();
  }

  private fail(err: Error): void {
    if (this.failed === undefined) this.failed = err;
    for (const w of this.waiting.values()) w.reject(err);
    this.waiting.clear();
  }

  private onData(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    for (;;) {
      if (this.need < 0) {
        if (this.buffered < 4) return;
        this.join();
        this.need = this.chunks[0]!.readInt32BE(0);
      }
      if (this.buffered < 4 + this.need) return;
      const all = this.join();
      const frame = all.subarray(4, 4 + this.need);
      const rest = all.subarray(4 + this.need);
      this.chunks = rest.length > 0 ? [rest] : [];
      this.buffered = rest.length;
      this.need = -1;
      this.deliver(frame);
    }
  }

  private join(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks, this.buffered)];
    return this.chunks[0]!;
  }

  private deliver(frame: Buffer): void {
    const id = frame.readInt32BE(0);
    const w = this.waiting.get(id);
    if (w === undefined) return;
    this.waiting.delete(id);
    try {
      w.resolve(decodeResponse(w.apiKey, w.version, frame).body);
    } catch (err) {
      w.reject(new LeanClientError('PROTOCOL_ERROR', `decode response api ${w.apiKey} v${w.version}: ${err instanceof Error ? err.message : String(err)}`, { cause: err }));
    }
  }
}
