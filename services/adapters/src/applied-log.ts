// Rebuilds "which command ids did this adapter already answer" from provision.command.applied.v1
// (retention 14 days), so at-most-once survives a restart without a data directory. Reads every
// partition from the beginning up to the high watermark seen at start, with a throwaway consumer
// group that never commits.
import { randomUUID } from 'node:crypto';
import { Topics, WarmcastError } from '@warmcast/kit';
import type { CommandResult, KitService } from '@warmcast/kit';

export async function readAppliedResults(kit: KitService, adapterName: string, timeoutMs = 60_000): Promise<Pick<CommandResult, 'commandId' | 'status'>[]> {
  const topic = Topics.provisionCommandApplied;
  const admin = kit.kafka.admin();
  await admin.connect();
  let ends: Map<number, bigint>;
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    ends = new Map(offsets.filter((o) => BigInt(o.high) > BigInt(o.low)).map((o) => [o.partition, BigInt(o.high)]));
  } finally {
    await admin.disconnect();
  }
  const out: Pick<CommandResult, 'commandId' | 'status'>[] = [];
  if (ends.size === 0) return out;
  const codec = kit.producer.codec(topic);
  const consumer = kit.kafka.consumer({ groupId: `${kit.config.groupId}.rebuild.${randomUUID()}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    const remaining = new Set(ends.keys());
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new WarmcastError('TIMEOUT', `reading ${topic} took over ${timeoutMs} ms`)), timeoutMs);
      consumer.run({
        autoCommit: false,
        eachMessage: async ({ partition, message }) => {
          const decoded = await codec.decode(message.value);
          if (decoded.ok && decoded.value.adapter === adapterName) out.push({ commandId: decoded.value.commandId, status: decoded.value.status });
          const end = ends.get(partition);
          if (end !== undefined && BigInt(message.offset) + 1n >= end) remaining.delete(partition);
          if (remaining.size === 0) { clearTimeout(timer); resolve(); }
        },
      }).catch((err: unknown) => { clearTimeout(timer); reject(err as Error); });
    });
  } finally {
    await consumer.disconnect();
  }
  return out;
}
