import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as K from '../src/index.ts';

/** mulberry32: small seeded PRNG so every run feeds the same 20,000 cases. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const dir = join(import.meta.dirname, 'golden');
const golden = readdirSync(dir).filter((f) => f.endsWith('.hex')).sort()
  .map((f) => Buffer.from(readFileSync(join(dir, f), 'utf8').trim(), 'hex'));

function mutate(src: Buffer, rnd: () => number): Buffer {
  const b = Buffer.from(src);
  const pick = (): number => Math.floor(rnd() * b.length);
  switch (Math.floor(rnd() * 6)) {
    case 0: { // bit flips
      const n = 1 + Math.floor(rnd() * 4);
      for (let i = 0; i < n && b.length > 0; i++) b[pick()]! ^= 1 << Math.floor(rnd() * 8);
      return b;
    }
    case 1: return b.subarray(0, pick()); // truncation
    case 2: { // huge or negative int32 count/length somewhere after the api key/version
      const at = 4 + Math.floor(rnd() * Math.max(1, b.length - 8));
      if (at + 4 <= b.length) b.writeInt32BE([0x7fffffff, -2, -0x80000000, 0x10000][Math.floor(rnd() * 4)]!, at);
      return b;
    }
    case 3: { // huge or negative int16 length
      const at = 4 + Math.floor(rnd() * Math.max(1, b.length - 6));
      if (at + 2 <= b.length) b.writeInt16BE([0x7fff, -2, -0x8000][Math.floor(rnd() * 3)]!, at);
      return b;
    }
    case 4: { // long unsigned varint (compact lengths, tag counts)
      const at = pick();
      for (let i = 0; i < 6 && at + i < b.length; i++) b[at + i] = 0xff;
      return b;
    }
    default: { // random bytes over a region
      const at = pick();
      for (let i = 0; i < 8 && at + i < b.length; i++) b[at + i] = Math.floor(rnd() * 256);
      return b;
    }
  }
}

function randomFrame(rnd: () => number): Buffer {
  const spec = K.API_SPECS[Math.floor(rnd() * K.API_SPECS.length)]!;
  const version = spec.minVersion + Math.floor(rnd() * (spec.maxVersion - spec.minVersion + 2)); // sometimes one past max
  const b = Buffer.alloc(4 + Math.floor(rnd() * 120));
  for (let i = 0; i < b.length; i++) b[i] = Math.floor(rnd() * 256);
  if (b.length >= 4) { b.writeInt16BE(spec.apiKey, 0); b.writeInt16BE(version, 2); }
  return b;
}

/** 'ok' | ProtocolError code; anything else is returned as 'BAD: ...' and fails the test. */
function feed(frame: Buffer): string {
  try {
    const { header, bodyOffset } = K.decodeRequestHeader(frame);
    K.decodeRequest(header.requestApiKey, header.requestApiVersion, frame, bodyOffset);
    return 'ok';
  } catch (err) {
    if (!(err instanceof K.ProtocolError)) return `BAD: ${String(err)}`;
    // The framing safety net wraps stray errors as MALFORMED; the Reader should never need it.
    if (err.cause !== undefined) return `BAD: wrapped ${String(err.cause)}`;
    return err.code;
  }
}

describe('fuzz: decodeRequestHeader + decodeRequest only return or throw ProtocolError', () => {
  it('20,000 seeded cases: random frames and mutated golden frames', () => {
    const rnd = prng(0x5eed);
    const tally: Record<string, number> = {};
    const bad: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const frame = i % 4 === 0 ? randomFrame(rnd) : mutate(golden[Math.floor(rnd() * golden.length)]!, rnd);
      const r = feed(frame);
      if (r.startsWith('BAD')) bad.push(`${r} frame=${frame.toString('hex')}`);
      tally[r.startsWith('BAD') ? 'BAD' : r] = (tally[r.startsWith('BAD') ? 'BAD' : r] ?? 0) + 1;
    }
    expect(bad.slice(0, 3)).toEqual([]);
    // Sanity: the mutations must reach both outcomes, or the fuzzer tests nothing.
    expect(tally.ok ?? 0).toBeGreaterThan(1000);
    expect(tally.MALFORMED ?? 0).toBeGreaterThan(1000);
  }, 120_000);

  it('5,000 mutated responses into decodeResponse (client side): ProtocolError only', () => {
    const rnd = prng(99);
    const samples: [number, number, Buffer][] = [
      [18, 3, K.encodeApiVersionsResponse(3, 1, { apiKeys: [{ apiKey: 0, minVersion: 3, maxVersion: 7 }], finalizedFeaturesEpoch: 2n })],
      [3, 6, K.encodeMetadataResponse(6, 1, { brokers: [{ nodeId: 1, host: 'h', port: 1 }], topics: [{ name: 't', partitions: [{ replicaNodes: [1] }] }] })],
      [1, 12, K.encodeFetchResponse(12, 1, { responses: [{ topic: 't', partitions: [{ records: Buffer.alloc(70, 1), currentLeader: { leaderId: 1, leaderEpoch: 1 } }] }] })],
      [9, 7, K.encodeOffsetFetchResponse(7, 1, { topics: [{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: 5n }] }] })],
    ];
    let ok = 0;
    for (let i = 0; i < 5000; i++) {
      const [key, v, frame] = samples[i % samples.length]!;
      try { K.decodeResponse(key, v, mutate(frame.subarray(4), rnd)); ok++; } catch (err) {
        expect(err).toBeInstanceOf(K.ProtocolError);
        expect((err as Error).cause).toBeUndefined();
      }
    }
    expect(ok).toBeGreaterThan(100);
  });

  it('a 2^31 array count fails fast without allocating', () => {
    // ProduceRequest v7 with topics count 0x7fffffff
    const f = Buffer.from('00000007000000010000' + 'ffff' + '0001' + '00007530' + '7fffffff', 'hex');
    expect(feed(f)).toBe('MALFORMED');
  });

  it('mutated record batches into decodeRecordBatch: ProtocolError only', () => {
    const rnd = prng(7);
    const batch = K.encodeRecordBatch({ records: [{ key: 'k', value: 'v', timestamp: 1, headers: { a: 'b' } }, { value: 'w', timestamp: 2 }] });
    for (let i = 0; i < 5000; i++) {
      const b = mutate(batch, rnd);
      try { K.decodeRecordBatch(b, K.defaultDecompressors); } catch (err) {
        if (!(err instanceof K.ProtocolError)) throw err;
      }
    }
  });
});
