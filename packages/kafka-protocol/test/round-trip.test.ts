import { describe, expect, it } from 'vitest';
import * as K from '../src/index.ts';
import { Reader, Writer } from '../src/index.ts';
import { Samples, loadSpecs, versions } from './spec-samples.ts';

type Read = (r: Reader, v: number) => unknown;
type Write = (w: Writer, v: number, m: object) => void;
type Create = () => object;
const api = K as unknown as Record<string, Read | Write | Create>;

const specs = loadSpecs();

describe('generated codec round-trips every message and version', () => {
  it('covers all 64 vendored message files', () => {
    expect(specs.length).toBe(64);
  });

  for (const spec of specs) {
    const read = api[`read${spec.name}`] as Read;
    const write = api[`write${spec.name}`] as Write;
    const create = api[`default${spec.name}`] as Create;
    const samples = new Samples(spec);
    describe(spec.name, () => {
      it('default matches the spec defaults', () => {
        expect(create()).toEqual(samples.struct(spec.fields, -1, false, 0).expected);
      });
      for (const v of versions(spec)) {
        for (const nulls of [false, true]) {
          it(`v${v}${nulls ? ' with nulls' : ''}`, () => {
            const { input, expected } = samples.message(v, nulls);
            const w = new Writer(16);
            write(w, v, input);
            const bytes = Buffer.from(w.finish());
            const r = new Reader(bytes);
            expect(read(r, v)).toEqual(expected);
            expect(r.pos).toBe(bytes.length);
            // Re-encoding the decoded object gives the same bytes.
            const w2 = new Writer(16);
            write(w2, v, read(new Reader(bytes), v) as object);
            expect(Buffer.from(w2.finish()).equals(bytes)).toBe(true);
          });
        }
      }
      it('encodes an empty (all-missing) object as the defaults', () => {
        for (const v of versions(spec)) {
          const w = new Writer(16);
          write(w, v, {});
          const bytes = Buffer.from(w.finish());
          const expected = samples.struct(spec.fields, -1, false, 0).expected;
          expect(read(new Reader(bytes), v)).toEqual(expected);
        }
      });
    });
  }
});

describe('framing', () => {
  it('request header v2 for flexible requests, v1 otherwise; response header v0 for ApiVersions', () => {
    expect(K.requestHeaderVersion(18, 3)).toBe(2);
    expect(K.requestHeaderVersion(18, 2)).toBe(1);
    expect(K.requestHeaderVersion(9, 6)).toBe(2);
    expect(K.requestHeaderVersion(999, 0)).toBe(1);
    expect(K.requestHeaderVersion(7, 0)).toBe(0);
    expect(K.responseHeaderVersion(18, 3)).toBe(0);
    expect(K.responseHeaderVersion(9, 6)).toBe(1);
    expect(K.responseHeaderVersion(0, 7)).toBe(0);
  });

  it('round-trips a request frame through decodeRequestHeader/decodeRequest', () => {
    const frame = K.encodeRequest({ requestApiKey: 9, requestApiVersion: 7, correlationId: 42, clientId: 'c' },
      { groupId: 'g', topics: null, requireStable: true });
    expect(frame.readInt32BE(0)).toBe(frame.length - 4);
    const body = frame.subarray(4);
    const { header, bodyOffset } = K.decodeRequestHeader(body);
    expect(header).toEqual({ requestApiKey: 9, requestApiVersion: 7, correlationId: 42, clientId: 'c' });
    expect(K.decodeOffsetFetchRequest(7, body, bodyOffset)).toMatchObject({ groupId: 'g', topics: null, requireStable: true });
  });

  it('encodes ApiVersions v3 response with header v0 and other flexible responses with header v1', () => {
    const av = K.encodeApiVersionsResponse(3, 5, { apiKeys: [{ apiKey: 18, minVersion: 0, maxVersion: 3 }] });
    // size, corrId 5, errorCode 0, compact array of 1 (0x02), key 18, 0, 3, entry tags, throttle, tags
    expect(av.toString('hex')).toBe('00000013' + '00000005' + '0000' + '02' + '0012' + '0000' + '0003' + '00' + '00000000' + '00');
    const of = K.encodeOffsetFetchResponse(6, 5, {});
    expect(of.subarray(4, 9).toString('hex')).toBe('0000000500');
    expect(K.decodeOffsetFetchResponse(6, of.subarray(4)).correlationId).toBe(5);
  });

  it('encodeResponseChunks gives the same bytes as encodeResponse without copying records', () => {
    const records = Buffer.alloc(200_000, 3);
    const body = { responses: [{ topic: 't', partitions: [{ partitionIndex: 0, records }] }] };
    const whole = K.encodeFetchResponse(11, 9, body);
    const chunks = K.encodeResponseChunks(K.ApiKey.Fetch, 11, 9, body);
    expect(Buffer.concat(chunks).equals(whole)).toBe(true);
    expect(chunks).toContain(records);
  });

  it('decodes records as a view of the frame, not a copy', () => {
    const records = Buffer.alloc(100, 1);
    const frame = K.encodeRequest({ requestApiKey: 0, requestApiVersion: 7, correlationId: 1, clientId: null },
      { acks: -1, timeoutMs: 30000, topicData: [{ name: 't', partitionData: [{ index: 0, records }] }] }).subarray(4);
    const { bodyOffset } = K.decodeRequestHeader(frame);
    const got = K.decodeProduceRequest(7, frame, bodyOffset).topicData[0]!.partitionData[0]!.records!;
    expect(got.equals(records)).toBe(true);
    expect(got.buffer).toBe(frame.buffer);
  });

  it('throws ProtocolError with the right code for unknown api, bad version, malformed body', () => {
    const code = (fn: () => unknown): string => {
      try { fn(); } catch (e) { return e instanceof K.ProtocolError ? e.code : 'other'; }
      return 'none';
    };
    expect(code(() => K.decodeRequest(99, 0, Buffer.alloc(10), 0))).toBe('UNSUPPORTED_API');
    expect(code(() => K.decodeRequest(0, 12, Buffer.alloc(10), 0))).toBe('UNSUPPORTED_VERSION');
    expect(code(() => K.decodeRequest(0, 7, Buffer.alloc(3), 0))).toBe('MALFORMED');
    expect(code(() => K.decodeRequestHeader(Buffer.alloc(2)))).toBe('MALFORMED');
    // an unknown key still yields its correlation id (header v1)
    const f = Buffer.from('03e7000000000063ffff', 'hex');
    expect(K.decodeRequestHeader(f).header).toEqual({ requestApiKey: 999, requestApiVersion: 0, correlationId: 99, clientId: null });
  });
});

describe('consumer protocol', () => {
  it('round-trips subscription v1 and assignment v0 with the int16 version prefix', () => {
    const sub = K.encodeConsumerProtocolSubscription({ topics: ['a', 'b'], userData: null, ownedPartitions: [{ topic: 'a', partitions: [0, 1] }] }, 1);
    expect(sub.readInt16BE(0)).toBe(1);
    expect(K.decodeConsumerProtocolSubscription(sub)).toEqual({
      version: 1, subscription: { topics: ['a', 'b'], userData: null, ownedPartitions: [{ topic: 'a', partitions: [0, 1] }], generationId: -1, rackId: null },
    });
    const asg = K.encodeConsumerProtocolAssignment({ assignedPartitions: [{ topic: 'a', partitions: [2] }] });
    expect(K.decodeConsumerProtocolAssignment(asg).assignment.assignedPartitions).toEqual([{ topic: 'a', partitions: [2] }]);
  });
  it('reads a newer version with the highest known one', () => {
    const sub = K.encodeConsumerProtocolSubscription({ topics: ['x'] }, 3);
    sub.writeInt16BE(9, 0);
    expect(K.decodeConsumerProtocolSubscription(sub).subscription.topics).toEqual(['x']);
  });
});
