/**
 * Codec speed on the two hot paths (brief: both well under 1 ms with 1 MB of records).
 * Run: npx tsx packages/kafka-protocol/scripts/bench.ts. Reports the median and p90 of 200 timed
 * runs after 50 warm-ups; the machine is shared, so medians matter, not single runs.
 */
import * as K from '../src/index.ts';

const MB = 1 << 20;
const records = K.encodeRecordBatch({ records: [{ value: Buffer.alloc(MB - 100, 0x61), timestamp: 1_700_000_000_000 }] });

function bench(name: string, fn: () => unknown): void {
  for (let i = 0; i < 50; i++) fn();
  const t: number[] = [];
  for (let i = 0; i < 200; i++) {
    const s = performance.now();
    fn();
    t.push(performance.now() - s);
  }
  t.sort((a, b) => a - b);
  console.log(`${name.padEnd(52)} median ${(t[100]! * 1000).toFixed(1).padStart(7)} us   p90 ${(t[180]! * 1000).toFixed(1).padStart(7)} us`);
}

const produce = K.encodeRequest({ requestApiKey: 0, requestApiVersion: 7, correlationId: 1, clientId: 'bench' },
  { acks: -1, timeoutMs: 30000, topicData: [{ name: 't', partitionData: [{ index: 0, records }] }] }).subarray(4);
bench(`decode Produce v7 request (${records.length} B records)`, () => {
  const { header, bodyOffset } = K.decodeRequestHeader(produce);
  return K.decodeRequest(header.requestApiKey, header.requestApiVersion, produce, bodyOffset);
});

const fetchBody = { responses: [{ topic: 't', partitions: [{ partitionIndex: 0, highWatermark: 1n, lastStableOffset: 1n, logStartOffset: 0n, records }] }] };
bench('encode Fetch v11 response -> one Buffer (1 memcpy)', () => K.encodeResponse(1, 11, 1, fetchBody));
bench('encode Fetch v11 response -> chunks (no copy)', () => K.encodeResponseChunks(1, 11, 1, fetchBody));
bench('verifyBatchCrc over 1 MB (CRC-32C slice-by-8)', () => K.verifyBatchCrc(records));
bench('raw floor: Buffer.allocUnsafeSlow(1 MB) + set', () => { const b = Buffer.allocUnsafeSlow(records.length + 64); b.set(records, 32); return b; });
