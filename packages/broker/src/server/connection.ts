/**
 * One client TCP connection. Requests are handled strictly one at a time, in arrival order,
 * and responses are written in that order (Kafka's SocketServer mutes a channel while one of
 * its requests is in flight; kafkajs pipelines and matches by correlation id, CLIENT_NOTES §1.1).
 * Any request may come first (no ApiVersions handshake is required).
 *
 * A bad frame closes this connection only, after one log line; the broker keeps serving others.
 */
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import type { BrokerContext } from './context.ts';
import { ReadArena } from '../storage/index.ts';
import { FramePool } from './frame-pool.ts';
import { FrameReader } from './frame-reader.ts';
import type { RequestRouter } from './request-router.ts';

/** Pause reading once this many request bytes wait behind the one in flight (4 x 16 MiB-ish). */
const PAUSE_ABOVE_BYTES = 64 * 1024 * 1024;
/**
 * Read arenas per connection: one for the request being handled, one for the previous response
 * still in the socket's queue. A third request finding both busy reads into plain allocations.
 */
const ARENAS = 2;
const PRODUCE = 0;

export class Connection {
  readonly id: number;
  private readonly socket: Socket;
  private readonly reader: FrameReader;
  /** Joined Produce frames, reused once answered (frame-pool.ts). */
  private readonly frames = new FramePool();
  private readonly queue: Buffer[] = [];
  private queuedBytes = 0;
  private running = false;
  private closed = false;
  private readonly abort = new AbortController();
  private readonly log: Logger;
  private idleWaiters: (() => void)[] = [];
  private corked = false;
  /** Set by end(): no more requests are started, answers already written are flushed. */
  private ending = false;
  /** Arenas not referenced by a request in flight or a response not yet flushed. */
  private readonly freeArenas: ReadArena[] = [];
  private arenaCount = 0;

  constructor(
    id: number,
    socket: Socket,
    private readonly router: RequestRouter,
    private readonly broker: BrokerContext,
    brokerSignal: AbortSignal,
    maxFrameBytes: number,
    private readonly onClosed: (c: Connection) => void,
  ) {
    this.id = id;
    this.socket = socket;
    this.reader = new FrameReader(maxFrameBytes, this.frames);
    this.log = broker.log.child({ connectionId: id, remote: `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}` });
    const onBrokerAbort = (): void => this.abort.abort();
    if (brokerSignal.aborted) this.abort.abort();
    else brokerSignal.addEventListener('abort', onBrokerAbort, { once: true });
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => this.log.debug({ err }, 'socket error'));
    socket.on('close', () => {
      brokerSignal.removeEventListener('abort', onBrokerAbort);
      this.markClosed();
    });
  }

  /** True while a request of this connection is being handled. */
  get busy(): boolean {
    return this.running;
  }

  /** Resolves when no request of this connection is being handled. */
  idle(): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Graceful close for broker shutdown: unread requests are dropped, answers already written
   * are flushed (a corked response would be lost by destroy()), then FIN; destroyed after 1 s
   * if the client does not close its side.
   */
  end(): void {
    if (this.closed || this.ending) return;
    this.ending = true;
    this.queue.length = 0;
    this.queuedBytes = 0;
    if (this.corked) {
      this.corked = false;
      this.socket.uncork();
    }
    this.socket.end();
    setTimeout(() => this.socket.destroy(), 1000).unref();
  }

  /** Close now: pending requests are dropped, the in-flight one is told via its AbortSignal. */
  destroy(): void {
    this.socket.destroy();
    this.markClosed();
  }

  private markClosed(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue.length = 0;
    this.queuedBytes = 0;
    this.abort.abort();
    this.onClosed(this);
  }

  private onData(chunk: Buffer): void {
    if (this.closed || this.ending) return;
    this.reader.push(chunk);
    for (;;) {
      const r = this.reader.next();
      if (r === undefined) break;
      if (r.kind === 'bad-size') {
        this.closeWithReason('bad frame size', { size: r.size });
        return;
      }
      this.queue.push(r.frame);
      this.queuedBytes += r.frame.length;
    }
    if (this.queuedBytes + this.reader.pendingBytes > PAUSE_ABOVE_BYTES) this.socket.pause();
    if (!this.running && this.queue.length > 0) void this.pump();
  }

  private closeWithReason(reason: string, fields: Record<string, unknown>): void {
    this.log.warn(fields, `closing connection: ${reason}`);
    this.destroy();
  }

  private async pump(): Promise<void> {
    this.running = true;
    try {
      while (!this.closed && !this.ending && this.queue.length > 0) {
        const frame = this.queue.shift()!;
        this.queuedBytes -= frame.length;
        if (this.socket.isPaused() && this.queuedBytes < PAUSE_ABOVE_BYTES / 2) this.socket.resume();
        const arena = this.takeArena();
        const outcome = await this.router.route(this.broker, frame, {
          connectionId: this.id, remoteAddress: this.socket.remoteAddress ?? '127.0.0.1', signal: this.abort.signal,
          ...(arena === undefined ? {} : { readArena: arena }),
        });
        // An answered Produce (or acks=0) is done with its frame: the handler awaited every
        // append, each written or refused. Not after 'close': a handler that threw may have left
        // appends queued that still read the frame.
        if (outcome.apiKey === PRODUCE && outcome.kind !== 'close') this.frames.release(frame);
        if (this.closed) break;
        // Answered even while ending: this request was in flight when shutdown began.
        if (outcome.kind === 'response') this.write(outcome.chunks, arena);
        else if (arena !== undefined) this.freeArenas.push(arena);
        if (outcome.kind === 'close') {
          const { reason, kind: _kind, ...fields } = outcome;
          this.closeWithReason(reason, fields);
        }
      }
    } catch (err) {
      this.closeWithReason('internal error', { err });
    } finally {
      this.running = false;
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  private takeArena(): ReadArena | undefined {
    const free = this.freeArenas.pop();
    if (free !== undefined || this.arenaCount >= ARENAS) return free;
    this.arenaCount++;
    return new ReadArena();
  }

  /**
   * Responses produced in the same event-loop turn go out in one writev (cork until setImmediate).
   * The arena whose views the chunks may be is free again once the socket has flushed them
   * (the write callback; also called with an error when the socket is destroyed).
   */
  private write(chunks: readonly Uint8Array[], arena: ReadArena | undefined): void {
    if (!this.ending && !this.corked) {
      this.corked = true;
      this.socket.cork();
      setImmediate(() => {
        this.corked = false;
        this.socket.uncork();
      });
    }
    const last = chunks.length - 1;
    for (let i = 0; i < last; i++) this.socket.write(chunks[i]!);
    if (arena === undefined) this.socket.write(chunks[last]!);
    else this.socket.write(chunks[last]!, () => this.freeArenas.push(arena));
  }
}
