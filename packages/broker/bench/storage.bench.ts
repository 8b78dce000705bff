/**
 * Storage throughput: append (16 KiB and 1 MiB batches) under each fsync policy, and reads.
 *   npx tsx packages/broker/bench/storage.bench.ts [--dir <path>] [--mib <per run, default 256>] [--seconds <cap, default 8>]
 * Writes to a fresh temp dir (default under os.tmpdir(); use --dir to pick the disk you care
 * about: on tmpfs fsync is free and the 'always' rows mean nothing). Each run stops at --mib
 * MiB or --seconds, whichever comes first. Prints a markdown table.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, statfs } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { encodeRecordBatch } from '@warmcast/kafka-protocol';
import { LogManager, resolveLogConfig, type FsyncPolicy } from '../src/storage/index.ts';
import { Segment } from '../src/storage/segment.ts';

// Count fsyncs (bench only): appends per fsync shows how much group commit shares.
let fsyncs = 0;
const realSync = Segment.prototype.sync;
Segment.prototype.sync = function (this: Segment) {
  fsyncs++;
  return realSync.call(this);
};

const { values } = parseArgs({ options: { dir: { type: 'string' }, mib: { type: 'string', default: '256' }, seconds: { type: 'string', default: '8' } } });
const root = values.dir ?? tmpdir();
let budgetBytes = Number(values.mib) * 1024 * 1024;
const budgetMs = Number(values.seconds) * 1000;

/** One uncompressed batch of one record with a `valueBytes` value and a valid CRC-32C (the codec's encoder; epoch/sequence 0 as before). */
function batchOf(valueBytes: number): Buffer {
  return encodeRecordBatch({
    records: [{ key: null, value: Buffer.alloc(valueBytes, 0x5a), timestamp: 1_700_000_000_000n }],
    producerEpoch: 0,
    baseSequence: 0,
  });
}

interface Row {
  case: string;
  batch: string;
  appenders: number;
  mbPerS: number;
  batchesPerS: number;
  batches: number;
  fsyncs: number | undefined;
}

async function appendRun(policy: FsyncPolicy, batchBytes: number, appenders: number): Promise<{ row: Row; dir: string; manager: LogManager }> {
  const dir = await mkdtemp(join(root, 'warmcast-storage-bench-'));
  const manager = await LogManager.open(dir, resolveLogConfig({ fsync: policy, fsyncIntervalMs: 1000, maxBatchBytes: 2 * 1024 * 1024 }));
  await manager.createTopic('bench', 1);
  const log = manager.partition('bench', 0)!;
  const batch = batchOf(batchBytes - 61 - 20);
  let written = 0;
  let batches = 0;
  fsyncs = 0;
  const t0 = performance.now();
  const worker = async (): Promise<void> => {
    // Each appender sends its own copy: append stamps baseOffset into the buffer in place.
    const mine = Buffer.from(batch);
    while (written < budgetBytes && performance.now() - t0 < budgetMs) {
      written += mine.length;
      await log.append(mine, 0);
      batches++;
    }
  };
  await Promise.all(Array.from({ length: appenders }, worker));
  const s = (performance.now() - t0) / 1000;
  const label = batchBytes >= 1024 * 1024 ? '1 MiB' : `${batchBytes / 1024} KiB`;
  return {
    row: { case: `append, fsync ${policy}`, batch: label, appenders, mbPerS: (batches * batch.length) / s / 1e6, batchesPerS: batches / s, batches, fsyncs },
    dir,
    manager,
  };
}

async function readRun(manager: LogManager, label: string, maxBytes: number): Promise<Row> {
  const log = manager.partition('bench', 0)!;
  let offset = log.logStartOffset;
  let bytes = 0;
  let batches = 0;
  const t0 = performance.now();
  while (offset < log.highWatermark) {
    const r = await log.read(offset, maxBytes);
    bytes += r.records.length;
    // walk batch headers to the next offset, as a fetch loop does
    let at = 0;
    while (at < r.records.length) {
      offset = r.records.readBigInt64BE(at) + BigInt(r.records.readInt32BE(at + 23)) + 1n;
      at += r.records.readInt32BE(at + 8) + 12;
      batches++;
    }
  }
  const s = (performance.now() - t0) / 1000;
  return { case: `read, maxBytes ${maxBytes / 1024 / 1024} MiB (page cache)`, batch: label, appenders: 1, mbPerS: bytes / s / 1e6, batchesPerS: batches / s, batches, fsyncs: undefined };
}

/** Open after a close: the header walk of every segment plus a CRC pass over the active one. */
async function reopenRun(dir: string, label: string, batches: number): Promise<Row> {
  const t0 = performance.now();
  const m = await LogManager.open(dir, resolveLogConfig({ fsync: 'os', maxBatchBytes: 2 * 1024 * 1024 }));
  const s = (performance.now() - t0) / 1000;
  const bytes = m.partition('bench', 0)!.sizeBytes;
  await m.close();
  return { case: `reopen after close (recovery scan, page cache), ${(s * 1000).toFixed(0)} ms`, batch: label, appenders: 1, mbPerS: bytes / s / 1e6, batchesPerS: batches / s, batches, fsyncs: undefined };
}

const fs = await statfs(root);
console.log(`dir ${root} (statfs type 0x${fs.type.toString(16)}), budget ${values.mib} MiB or ${values.seconds} s per run, node ${process.version}\n`);
const rows: Row[] = [];
{
  // Warm-up (JIT for CRC-32C and the append path), not reported.
  const saved = budgetBytes;
  budgetBytes = 16 * 1024 * 1024;
  const w = await appendRun('os', 16 * 1024, 1);
  await w.manager.close();
  await rm(w.dir, { recursive: true, force: true });
  budgetBytes = saved;
}
for (const batchBytes of [16 * 1024, 1024 * 1024]) {
  const plans: Array<[FsyncPolicy, number]> = process.env.BENCH_ONLY_ALWAYS ? [['always', 8]] : [['os', 1], ['interval', 1], ['always', 1], ['always', 8]];
  for (const [policy, appenders] of plans) {
    const { row, dir, manager } = await appendRun(policy, batchBytes, appenders);
    rows.push(row);
    console.error(`  done ${row.case} ${row.batch} x${appenders}`);
    if (policy === 'os') rows.push(await readRun(manager, row.batch, 1024 * 1024));
    await manager.close();
    if (policy === 'os') rows.push(await reopenRun(dir, row.batch, row.batches));
    await rm(dir, { recursive: true, force: true });
    // Write back the previous run's dirty pages so it does not throttle the next run.
    execFileSync('sync');
  }
}
console.log('| case | batch | appenders | MB/s | batches/s | batches | fsyncs |');
console.log('|---|---|---:|---:|---:|---:|---:|');
for (const r of rows) {
  console.log(`| ${r.case} | ${r.batch} | ${r.appenders} | ${r.mbPerS.toFixed(1)} | ${r.batchesPerS.toFixed(0)} | ${r.batches} | ${r.fsyncs ?? ''} |`);
}
