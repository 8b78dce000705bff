/**
 * Opening a partition directory after a clean stop or a crash.
 *
 * Cost: every segment's batch headers are walked (256 KiB chunked reads, 61 bytes used per
 * batch) to rebuild offsets, timestamps, the sparse index and producer state; only the
 * active (last) segment is also CRC-checked, because closed segments were fsynced when they
 * were rolled (except under fsync 'os', see PartitionLog.roll).
 * The first bad batch ends the log: it and everything after it in that segment is cut
 * (`tail-truncated`), and if it sat in a closed segment the later segments are deleted too
 * (`segments-dropped`), as Kafka truncates to the last valid offset.
 */
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isControlBatch, type BatchHeader } from './batch-header.ts';
import type { StorageEvent } from './events.ts';
import { ProducerStateTable } from './producer-state.ts';
import { Segment, segmentName } from './segment.ts';

const SEGMENT_FILE = /^(\d{20})\.log$/;

export async function recoverSegments(
  dir: string,
  topic: string,
  partition: number,
  emit: (e: StorageEvent) => void,
): Promise<{ segments: Segment[]; producers: ProducerStateTable }> {
  await mkdir(dir, { recursive: true });
  const bases = (await readdir(dir))
    .map((f) => SEGMENT_FILE.exec(f)?.[1])
    .filter((b): b is string => b !== undefined)
    .map((b) => BigInt(b))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const producers = new ProducerStateTable();
  const onBatch = (h: BatchHeader): void => {
    if (h.producerId >= 0n && !isControlBatch(h)) producers.record(h.producerId, h.producerEpoch, h.baseSequence, h.lastOffsetDelta, h.baseOffset, Number(h.maxTimestamp));
  };
  const segments: Segment[] = [];
  for (let i = 0; i < bases.length; i++) {
    const isLast = i === bases.length - 1;
    const { segment, scan, fileBytes, indexRebuilt } = await Segment.load(dir, bases[i]!, isLast, onBatch);
    segments.push(segment);
    if (scan.stop !== undefined) {
      emit({ type: 'tail-truncated', topic, partition, segment: segment.baseOffset, position: scan.validEnd, droppedBytes: fileBytes - scan.validEnd, reason: scan.stop });
    }
    if (indexRebuilt) emit({ type: 'index-rebuilt', topic, partition, segment: segment.baseOffset });
    if (scan.stop !== undefined && !isLast) {
      const dropped = bases.slice(i + 1);
      for (const b of dropped) {
        await rm(join(dir, `${segmentName(b)}.log`), { force: true });
        await rm(join(dir, `${segmentName(b)}.index`), { force: true });
      }
      emit({ type: 'segments-dropped', topic, partition, segments: dropped, reason: scan.stop });
      break;
    }
  }
  if (segments.length === 0) segments.push(await Segment.create(dir, 0n));
  return { segments, producers };
}
