/**
 * Decode cost per message of each Kafka codec in the lean consumer, side by side in one run.
 *
 *   npx tsx packages/lean-client/bench/codecs.bench.ts                  # 100k messages per codec, 5 rounds
 *   BENCH_MESSAGES=20000 BENCH_ROUNDS=3 npx tsx packages/lean-client/bench/codecs.bench.ts
 *
 * The batches are real producer output: kcat (librdkafka) writes the same messages once per codec
 * (`-z none|gzip|snappy|lz4|zstd`) into its own topic on the embedded broker, and the bench
 * fetches every record set of each topic raw (Fetch v11, 4 MiB per partition, as ingest). Then,
 * in-process and without I/O, it times `decodeRecordSet` (what LeanConsumer does per fetched
 * partition: decompress + parse records into Buffer views) over all of them, rounds alternating
 * the codec order so load on the shared cores hits all alike. Reported per message: CPU us for the
 * whole decode, CPU us for the decompressor alone, and the same with CRC-32C checks (checkCrcs).
 * Messages: a user key (~20 B) and a 60-420 B value of event-like text (field names repeat,
 * numbers and ids vary), the size of ingest's Avro requests/metrics; real Avro compresses less
 * than text with repeated field names, so ratios here are on the kind side.
 * Needs kcat on PATH (Debian's kcat package, as the integration tests).
 */
import { spawn } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { ApiKey, BATCH_HEADER_SIZE, Compression, forEachBatch } from '@warmcast/kafka-protocol';
import type { Decompressors, FetchResponse } from '@warmcast/kafka-protocol';
import { decompressFrameSync } from 'lz4-napi';
import { startEmbedded } from '@warmcast/testkit';
import { Connection } from '../src/connection.ts';
import { allDecompressors, decodeRecordSet } from '../src/index.ts';

const MESSAGES = Number(process.env['BENCH_MESSAGES'] ?? 100_000);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 5);
const CODECS = [['none', 0], ['gzip', 1], ['snappy', 2], ['lz4', 3], ['zstd', 4]] as const;
type CodecName = (typeof CODECS)[number][0];
/** Rows: each codec with the consumer's decompressors, plus peers (the same batches, another decompressor). */
const VARIANTS: readonly { label: string; codec: CodecName; decompressors: Decompressors }[] = [
  ...CODECS.map(([name]) => ({ label: name, codec: name, decompressors: allDecompressors })),
  { label: 'lz4 (lz4-napi frame decoder)', codec: 'lz4', decompressors: { ...allDecompressors, [Compression.lz4]: decompressFrameSync } },
];

/** Deterministic event-like lines `key:value` (kcat -K :), values 60-420 bytes. */
function lines(n: number): string {
  let s = 42;
  const rnd = (): number => { s = (Math.imul(s, 1103515245) + 12345) >>> 0; return s / 2 ** 32; };
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const fields = [`requestId=req-${Math.floor(rnd() * 1e9).toString(36)}`, `functionId=fn-${Math.floor(rnd() * 500)}`, `runtime=${rnd() < 0.6 ? 'python3.12' : 'node20'}`, `durationMs=${Math.floor(rnd() * 5000)}`, `cpuMs=${Math.floor(rnd() * 4000)}`, `memoryPeakMb=${(rnd() * 2048).toFixed(2)}`, `start=${rnd() < 0.1 ? 'COLD' : 'WARM'}`, `eventTime=${1_763_900_000_000 + i * 7}`];
    let v = fields.join(';');
    const target = 60 + Math.floor(rnd() * 360);
    while (v.length < target) v += `;tag${v.length % 7}=${Math.floor(rnd() * 1e6).toString(36)}`;
    out.push(`user-${String(i % 5000).padStart(8, '0')}-bench:${v.slice(0, target)}`);
  }
  return `${out.join('\n')}\n`;
}

function kcat(brokers: string, topic: string, codec: CodecName, input: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn('kcat', ['-P', '-b', brokers, '-t', topic, '-p', '0', '-K', ':', '-z', codec], { stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (c: Buffer) => { err += c.toString(); });
    p.on('error', reject);
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`kcat exited ${code}: ${err}`))));
    p.stdin.end(input);
  });
}

/** Every record set of partition 0, fetched raw (Buffers as the consumer gets them). */
async function fetchAll(c: Connection, topic: string): Promise<Buffer[]> {
  const sets: Buffer[] = [];
  let offset = 0n;
  for (;;) {
    const res = await c.request<FetchResponse>(ApiKey.Fetch, 11, {
      replicaId: -1, maxWaitMs: 0, minBytes: 1, maxBytes: 32 * 1024 * 1024, isolationLevel: 0, sessionId: 0, sessionEpoch: -1,
      topics: [{ topic, partitions: [{ partition: 0, fetchOffset: offset, partitionMaxBytes: 4 * 1024 * 1024, currentLeaderEpoch: -1, logStartOffset: -1n }] }], forgottenTopicsData: [], rackId: '',
    });
    const p = res.responses[0]?.partitions[0];
    if (p === undefined || p.errorCode !== 0) throw new Error(`fetch ${topic}: Kafka error ${p?.errorCode}`);
    if (p.records === null || p.records.length === 0) return sets;
    const { nextOffset } = decodeRecordSet(p.records, offset, { decompressors: allDecompressors });
    if (nextOffset === undefined || nextOffset <= offset) return sets;
    sets.push(p.records);
    offset = nextOffset;
    if (offset >= BigInt(MESSAGES)) return sets;
  }
}


function cpuUs(fn: () => void): number {
  const c0 = process.cpuUsage();
  fn();
  const c = process.cpuUsage(c0);
  return c.user + c.system;
}

const median = (xs: number[]): number => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]!; };

async function main(): Promise<void> {
  const env = await startEmbedded({ name: 'bench-codecs', topics: 'none' });
  try {
    const admin = env.kafka('bench-admin').admin();
    await admin.connect();
    await admin.createTopics({ topics: CODECS.map(([name]) => ({ topic: `bench.codec.${name}`, numPartitions: 1 })) });
    await admin.disconnect();
    const input = lines(MESSAGES);
    const t0 = performance.now();
    for (const [name] of CODECS) await kcat(env.brokers[0]!, `bench.codec.${name}`, name, input);
    console.log(`kcat wrote ${MESSAGES} messages (${(input.length / 1e6).toFixed(1)} MB as text) per codec in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const [host, port] = env.brokers[0]!.split(':');
    const conn = new Connection(host!, Number(port), 'bench-codecs');
    await conn.ready;
    const stats = new Map<CodecName, { batches: string; wire: number; raw: number }>();
    const data = new Map<CodecName, Buffer[]>();
    for (const [name, id] of CODECS) {
      const sets = await fetchAll(conn, `bench.codec.${name}`);
      data.set(name, sets);
      let batches = 0;
      let compressed = 0;
      let wire = 0;
      let raw = 0;
      for (const set of sets) {
        forEachBatch(set, (b) => {
          batches++;
          wire += b.length;
          const codec = b.readInt16BE(21) & 0x07;
          // librdkafka sends a batch uncompressed when compressing it does not shrink it (seen: a small last batch).
          if (codec === id) compressed++; else if (codec !== 0) throw new Error(`bench.codec.${name}: a batch with codec ${codec}`);
          const fn = allDecompressors[codec];
          raw += BATCH_HEADER_SIZE + (fn === undefined ? b.length - BATCH_HEADER_SIZE : fn(b.subarray(BATCH_HEADER_SIZE)).length);
        });
      }
      const got = sets.reduce((n, s) => n + decodeRecordSet(s, 0n, { decompressors: allDecompressors }).messages.length, 0);
      if (got !== MESSAGES) throw new Error(`bench.codec.${name}: decoded ${got} messages, expected ${MESSAGES}`);
      if (compressed < batches / 2) throw new Error(`bench.codec.${name}: only ${compressed} of ${batches} batches use the codec`);
      stats.set(name, { batches: `${compressed}/${batches}`, wire, raw });
    }
    conn.close();
    const rows = VARIANTS.map((v) => ({ ...v, ...stats.get(v.codec)!, decode: [] as number[], decompress: [] as number[], crc: [] as number[] }));

    for (let r = 0; r < ROUNDS; r++) {
      const order = r % 2 === 0 ? rows : [...rows].reverse();
      for (const row of order) {
        const sets = data.get(row.codec)!;
        const { decompressors } = row;
        let sink = 0;
        row.decode.push(cpuUs(() => { for (const s of sets) sink += decodeRecordSet(s, 0n, { decompressors }).messages.length; }));
        row.crc.push(cpuUs(() => { for (const s of sets) sink += decodeRecordSet(s, 0n, { decompressors, checkCrcs: true }).messages.length; }));
        row.decompress.push(cpuUs(() => {
          for (const s of sets) forEachBatch(s, (b) => { const fn = decompressors[b.readInt16BE(21) & 0x07]; if (fn !== undefined) sink += fn(b.subarray(BATCH_HEADER_SIZE)).length; });
        }));
        if (sink === 0) throw new Error('nothing decoded');
      }
    }

    const head = ['codec (kcat -z)', 'batches in codec', 'wire MB', 'ratio', 'decode us/msg', 'of it decompress', 'with checkCrcs', 'decode MB/s (wire)'];
    const table = rows.map((row) => {
      const d = median(row.decode) / MESSAGES;
      return [row.label, row.batches, (row.wire / 1e6).toFixed(2), (row.raw / row.wire).toFixed(2), d.toFixed(3), (median(row.decompress) / MESSAGES).toFixed(3), (median(row.crc) / MESSAGES).toFixed(3), (row.wire / (median(row.decode) / 1e6) / 1e6).toFixed(0)];
    });
    const widths = head.map((h, i) => Math.max(h.length, ...table.map((t) => t[i]!.length)));
    const fmt = (l: string[]): string => l.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
    console.log(`\n${[fmt(head), widths.map((w) => '-'.repeat(w)).join('  '), ...table.map(fmt)].join('\n')}`);
    console.log(`\n${MESSAGES} messages per codec, CPU medians of ${ROUNDS} rounds; ratio = decompressed / wire bytes; load average at the end: ${loadavg().map((l) => l.toFixed(1)).join(' ')} (${cpus().length} cores)`);
  } finally {
    await env.stop();
  }
}

main().catch((err: unknown) => { console.error(err); process.exit(1); });
