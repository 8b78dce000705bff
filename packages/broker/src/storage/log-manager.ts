/**
 * All topics of one broker data dir. Layout:
 *   <dataDir>/topics.json                 name, topicId (hex), partitions, configs; atomic replace
 *   <dataDir>/<topic>-<partition>/...     one PartitionLog each
 * Topic create/delete/grow are serialized; topics.json is rewritten after the partition
 * dirs exist (create) and before they are removed (delete), so a crash in between leaves
 * at worst an orphan directory, which createTopic clears before reuse.
 */
import { randomBytes } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { mkdir } from 'node:fs/promises';
import { writeFileAtomic } from './atomic-file.ts';
import { topicLogConfig, type LogConfig } from './config.ts';
import { StorageError, storageFailure } from './errors.ts';
import type { StorageHooks } from './events.ts';
import { PartitionLog, partitionDirName } from './partition-log.ts';
import { topicNameProblem } from './topic-name.ts';

export interface TopicInfo {
  name: string;
  topicId: Buffer;
  partitions: number;
  configs: Record<string, string>;
}

interface TopicsFile {
  version: 1;
  topics: Array<{ name: string; topicId: string; partitions: number; configs: Record<string, string> }>;
}

export const TOPICS_FILE = 'topics.json';
/** Kafka's default num.partitions cap is not a thing; this guards against a typo creating 10^9 dirs. */
const MAX_PARTITIONS = 10_000;

export class LogManager {
  private readonly topicMap = new Map<string, TopicInfo>();
  private readonly logs = new Map<string, PartitionLog[]>();
  private tail: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private flushing = false;

  private constructor(
    readonly dataDir: string,
    private readonly config: Readonly<LogConfig>,
    private readonly hooks: StorageHooks,
  ) {}

  static async open(dataDir: string, config: Readonly<LogConfig>, hooks: StorageHooks = {}): Promise<LogManager> {
    const m = new LogManager(dataDir, config, hooks);
    try {
      await mkdir(dataDir, { recursive: true });
      let file: TopicsFile = { version: 1, topics: [] };
      try {
        file = JSON.parse(await readFile(join(dataDir, TOPICS_FILE), 'utf8')) as TopicsFile;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
      for (const t of file.topics) {
        const info: TopicInfo = { name: t.name, topicId: Buffer.from(t.topicId, 'hex'), partitions: t.partitions, configs: t.configs };
        m.topicMap.set(t.name, info);
        const cfg = topicLogConfig(config, t.configs);
        const parts: PartitionLog[] = [];
        for (let p = 0; p < t.partitions; p++) parts.push(await PartitionLog.open(m.partDir(t.name, p), t.name, p, cfg, hooks));
        m.logs.set(t.name, parts);
      }
    } catch (err) {
      throw storageFailure(`open data dir ${dataDir}`, err);
    }
    if (config.fsync === 'interval') {
      m.timer = setInterval(() => m.flushDirty(), config.fsyncIntervalMs);
      m.timer.unref();
    }
    return m;
  }

  private partDir(topic: string, partition: number): string {
    return join(this.dataDir, partitionDirName(topic, partition));
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(fn, fn);
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** Interval policy: fsync every partition appended to since the last tick. */
  private flushDirty(): void {
    if (this.flushing) return; // a slow disk: skip a tick rather than pile up fsyncs
    this.flushing = true;
    const jobs: Array<Promise<void>> = [];
    for (const parts of this.logs.values()) {
      for (const log of parts) {
        if (!log.needsFlush) continue;
        jobs.push(log.flush().catch((err: unknown) => this.hooks.onEvent?.({ type: 'fsync-failed', topic: log.topic, partition: log.partition, err })));
      }
    }
    void Promise.all(jobs).finally(() => {
      this.flushing = false;
    });
  }

  /** Copies: callers cannot change the manager's state through them. */
  topics(): ReadonlyArray<TopicInfo> {
    return [...this.topicMap.values()].map((t) => ({ ...t, topicId: Buffer.from(t.topicId), configs: { ...t.configs } }));
  }

  hasTopic(name: string): boolean {
    return this.topicMap.has(name);
  }

  createTopic(name: string, partitions: number, configs: Record<string, string> = {}): Promise<void> {
    return this.serial(async () => {
      const problem = topicNameProblem(name);
      if (problem !== undefined) throw new StorageError('INVALID_TOPIC_EXCEPTION', problem);
      if (this.topicMap.has(name)) throw new StorageError('TOPIC_ALREADY_EXISTS', `topic ${name} already exists`);
      if (!Number.isInteger(partitions) || partitions < 1 || partitions > MAX_PARTITIONS) {
        throw new StorageError('INVALID_PARTITIONS', `topic ${name}: partition count ${partitions} is not an integer in [1, ${MAX_PARTITIONS}]`);
      }
      let cfg: Readonly<LogConfig>;
      try {
        cfg = topicLogConfig(this.config, configs);
      } catch (err) {
        throw new StorageError('INVALID_CONFIG', `topic ${name}: ${(err as Error).message}`, { cause: err });
      }
      const parts: PartitionLog[] = [];
      try {
        for (let p = 0; p < partitions; p++) {
          await rm(this.partDir(name, p), { recursive: true, force: true }); // orphan of a crashed delete
          parts.push(await PartitionLog.open(this.partDir(name, p), name, p, cfg, this.hooks));
        }
        const info: TopicInfo = { name, topicId: randomBytes(16), partitions, configs: { ...configs } };
        this.topicMap.set(name, info);
        this.logs.set(name, parts);
        await this.persist();
      } catch (err) {
        this.topicMap.delete(name);
        this.logs.delete(name);
        for (const log of parts) await log.close().catch(() => undefined);
        throw storageFailure(`create topic ${name}`, err);
      }
    });
  }

  deleteTopic(name: string): Promise<void> {
    return this.serial(async () => {
      const parts = this.logs.get(name);
      if (parts === undefined) throw new StorageError('UNKNOWN_TOPIC_OR_PARTITION', `topic ${name} does not exist`);
      this.topicMap.delete(name);
      this.logs.delete(name);
      try {
        await this.persist();
        for (const log of parts) {
          await log.close().catch(() => undefined);
          await rm(log.dir, { recursive: true, force: true });
        }
      } catch (err) {
        throw storageFailure(`delete topic ${name}`, err);
      }
    });
  }

  /** Grows a topic to totalCount partitions (Kafka never shrinks). */
  createPartitions(name: string, totalCount: number): Promise<void> {
    return this.serial(async () => {
      const info = this.topicMap.get(name);
      const parts = this.logs.get(name);
      if (info === undefined || parts === undefined) throw new StorageError('UNKNOWN_TOPIC_OR_PARTITION', `topic ${name} does not exist`);
      if (!Number.isInteger(totalCount) || totalCount <= info.partitions || totalCount > MAX_PARTITIONS) {
        throw new StorageError('INVALID_PARTITIONS', `topic ${name} has ${info.partitions} partitions; new count ${totalCount} must be in (${info.partitions}, ${MAX_PARTITIONS}]`);
      }
      const cfg = topicLogConfig(this.config, info.configs);
      try {
        for (let p = info.partitions; p < totalCount; p++) {
          await rm(this.partDir(name, p), { recursive: true, force: true });
          parts.push(await PartitionLog.open(this.partDir(name, p), name, p, cfg, this.hooks));
        }
        info.partitions = totalCount;
        await this.persist();
      } catch (err) {
        throw storageFailure(`grow topic ${name}`, err);
      }
    });
  }

  partition(topic: string, partition: number): PartitionLog | undefined {
    return this.logs.get(topic)?.[partition];
  }

  async enforceRetention(nowMs: number): Promise<void> {
    for (const parts of [...this.logs.values()]) {
      for (const log of parts) await log.enforceRetention(nowMs);
    }
  }

  private async persist(): Promise<void> {
    const file: TopicsFile = {
      version: 1,
      topics: [...this.topicMap.values()].map((t) => ({ name: t.name, topicId: t.topicId.toString('hex'), partitions: t.partitions, configs: t.configs })),
    };
    await writeFileAtomic(join(this.dataDir, TOPICS_FILE), `${JSON.stringify(file, null, 1)}\n`);
  }

  close(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    return this.serial(async () => {
      for (const parts of this.logs.values()) {
        for (const log of parts) await log.close();
      }
    });
  }
}
