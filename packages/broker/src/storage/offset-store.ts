/**
 * Committed consumer offsets and opaque group metadata, durable.
 * `<dataDir>/__offsets/commits.log` is an append-only file of JSON lines, one per operation:
 *   {"op":"commit","g":"grp","e":[["topic",0,"42",5,"meta"]],"ts":1700000000000}
 *   {"op":"meta","g":"grp","v":{...}}   {"op":"delgroup","g":"grp"}   {"op":"deltopic","t":"topic"}
 * Replayed into memory on open (a torn last line is cut off), rewritten compactly (temp +
 * fsync + rename) once the file passes 4x its live size and at least 64 KiB.
 * The directory name has no "-<n>" suffix, so it can never collide with a partition dir
 * (topic "__offsets" would live in "__offsets-0").
 */
import { mkdir, open, readFile, rename, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { syncDir } from './atomic-file.ts';
import type { LogConfig } from './config.ts';
import { storageFailure } from './errors.ts';
import { GroupCommit } from './group-commit.ts';

export interface CommittedOffset {
  offset: bigint;
  leaderEpoch: number;
  metadata: string | null;
}
export interface TopicPartitionOffset extends CommittedOffset {
  topic: string;
  partition: number;
}

type Line =
  | { op: 'commit'; g: string; e: Array<[string, number, string, number, string | null]>; ts: number }
  | { op: 'meta'; g: string; v: unknown }
  | { op: 'delgroup'; g: string }
  | { op: 'deltopic'; t: string };

const COMPACT_RATIO = 4;
const COMPACT_MIN_BYTES = 64 * 1024;

export class OffsetStore {
  private readonly offsets = new Map<string, Map<string, TopicPartitionOffset>>();
  private readonly meta = new Map<string, unknown>();
  private fileBytes = 0;
  private liveBytesAtLastCompaction = 0;
  private tail: Promise<unknown> = Promise.resolve();
  private readonly groupCommit: GroupCommit;
  private timer: NodeJS.Timeout | undefined;
  private dirty = false;
  private closed = false;

  private constructor(
    private readonly path: string,
    private readonly config: Readonly<LogConfig>,
    private fd: FileHandle,
  ) {
    this.groupCommit = new GroupCommit(() => this.fd.sync());
  }

  static async open(dataDir: string, config: Readonly<LogConfig>): Promise<OffsetStore> {
    const dir = join(dataDir, '__offsets');
    const path = join(dir, 'commits.log');
    try {
      await mkdir(dir, { recursive: true });
      let text = '';
      try {
        text = await readFile(path, 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
      const fd = await open(path, text === '' ? 'w+' : 'r+');
      const store = new OffsetStore(path, config, fd);
      const goodBytes = store.replay(text);
      if (goodBytes < Buffer.byteLength(text)) await fd.truncate(goodBytes);
      store.fileBytes = goodBytes;
      store.liveBytesAtLastCompaction = Buffer.byteLength(store.snapshot());
      if (config.fsync === 'interval') {
        store.timer = setInterval(() => {
          if (!store.dirty || store.closed) return;
          store.dirty = false;
          store.fd.sync().catch(() => (store.dirty = true));
        }, config.fsyncIntervalMs);
        store.timer.unref();
      }
      return store;
    } catch (err) {
      throw storageFailure(`open offset store in ${dir}`, err);
    }
  }

  /** Applies every complete line; returns the byte length of the good prefix. */
  private replay(text: string): number {
    let good = 0;
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      let line: Line;
      try {
        line = JSON.parse(text.slice(start, nl)) as Line;
      } catch {
        break; // torn or garbage: everything from here was never acknowledged
      }
      this.apply(line);
      good += Buffer.byteLength(text.slice(start, nl + 1));
      start = nl + 1;
    }
    return good;
  }

  private apply(line: Line): void {
    switch (line.op) {
      case 'commit': {
        let m = this.offsets.get(line.g);
        if (m === undefined) this.offsets.set(line.g, (m = new Map()));
        for (const [topic, partition, offset, leaderEpoch, metadata] of line.e) {
          m.set(`${topic}\u0000${partition}`, { topic, partition, offset: BigInt(offset), leaderEpoch, metadata });
        }
        break;
      }
      case 'meta':
        this.meta.set(line.g, line.v);
        break;
      case 'delgroup':
        this.offsets.delete(line.g);
        this.meta.delete(line.g);
        break;
      case 'deltopic':
        for (const [g, m] of this.offsets) {
          for (const [k, v] of m) if (v.topic === line.t) m.delete(k);
          if (m.size === 0) this.offsets.delete(g);
        }
        break;
    }
  }

  /** The live state as lines (what compaction writes). */
  private snapshot(): string {
    const lines: string[] = [];
    for (const [g, m] of this.offsets) {
      lines.push(JSON.stringify({ op: 'commit', g, e: [...m.values()].map((o) => [o.topic, o.partition, o.offset.toString(), o.leaderEpoch, o.metadata]), ts: 0 } satisfies Line));
    }
    for (const [g, v] of this.meta) lines.push(JSON.stringify({ op: 'meta', g, v } satisfies Line));
    return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
  }

  /** Applies, appends with write(2), and fsyncs per policy. Serialized in call order. */
  private write(line: Line): Promise<void> {
    const run = this.tail.then(async () => {
      if (this.closed) throw storageFailure('offset store', new Error('closed'));
      const bytes = Buffer.from(`${JSON.stringify(line)}\n`);
      try {
        let done = 0;
        while (done < bytes.length) done += (await this.fd.write(bytes, done, bytes.length - done, this.fileBytes + done)).bytesWritten;
      } catch (err) {
        throw storageFailure(`write ${this.path}`, err);
      }
      this.fileBytes += bytes.length;
      this.apply(line);
      this.dirty = true;
      if (this.fileBytes > COMPACT_MIN_BYTES && this.fileBytes > COMPACT_RATIO * this.liveBytesAtLastCompaction) await this.compact();
    });
    this.tail = run.catch(() => undefined);
    return run.then(async () => {
      if (this.config.fsync === 'always') await this.groupCommit.request();
    });
  }

  private async compact(): Promise<void> {
    const text = this.snapshot();
    const tmp = `${this.path}.tmp`;
    try {
      const fd = await open(tmp, 'w+');
      await fd.writeFile(text);
      await fd.sync();
      await rename(tmp, this.path);
      await syncDir(join(this.path, '..'));
      await this.fd.close();
      this.fd = fd;
    } catch (err) {
      throw storageFailure(`compact ${this.path}`, err);
    }
    this.fileBytes = Buffer.byteLength(text);
    this.liveBytesAtLastCompaction = this.fileBytes;
  }

  /** Size of commits.log in bytes (for tests and metrics). */
  get logBytes(): number {
    return this.fileBytes;
  }

  commit(group: string, entries: ReadonlyArray<TopicPartitionOffset>, nowMs: number): Promise<void> {
    if (entries.length === 0) return Promise.resolve();
    return this.write({ op: 'commit', g: group, e: entries.map((o) => [o.topic, o.partition, o.offset.toString(), o.leaderEpoch, o.metadata]), ts: nowMs });
  }

  fetch(group: string, topic: string, partition: number): CommittedOffset | undefined {
    const o = this.offsets.get(group)?.get(`${topic}\u0000${partition}`);
    return o && { offset: o.offset, leaderEpoch: o.leaderEpoch, metadata: o.metadata };
  }

  groupOffsets(group: string): ReadonlyArray<TopicPartitionOffset> {
    return [...(this.offsets.get(group)?.values() ?? [])].map((o) => ({ ...o }));
  }

  groups(): string[] {
    return [...new Set([...this.offsets.keys(), ...this.meta.keys()])];
  }

  deleteGroup(group: string): Promise<void> {
    return this.write({ op: 'delgroup', g: group });
  }

  deleteTopic(topic: string): Promise<void> {
    return this.write({ op: 'deltopic', t: topic });
  }

  putGroupMetadata(group: string, json: unknown): Promise<void> {
    return this.write({ op: 'meta', g: group, v: json });
  }

  groupMetadata(group: string): unknown | undefined {
    return this.meta.get(group);
  }

  close(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    const run = this.tail.then(async () => {
      if (this.closed) return;
      this.closed = true;
      await this.fd.sync();
      await this.fd.close();
    });
    this.tail = run.catch(() => undefined);
    return run;
  }
}
