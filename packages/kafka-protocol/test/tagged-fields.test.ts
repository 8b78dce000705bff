import { describe, expect, it } from 'vitest';
import * as K from '../src/index.ts';

describe('tagged fields in generated code (hand-checked bytes)', () => {
  it('writes a tagged field only when it differs from its default', () => {
    const plain = K.encodeApiVersionsResponse(3, 1, { apiKeys: [] }).toString('hex');
    // size 0x0c, corrId 1, error 0, compact empty array (01), throttle 0, tag buffer with 0 fields
    expect(plain).toBe('0000000c' + '00000001' + '0000' + '01' + '00000000' + '00');
    const tagged = K.encodeApiVersionsResponse(3, 1, { apiKeys: [], finalizedFeaturesEpoch: 5n }).toString('hex');
    // 1 tagged field: tag 1, size 8, int64 5
    expect(tagged.slice(8 + 8 + 4 + 2 + 8)).toBe('01' + '01' + '08' + '0000000000000005');
    expect(K.decodeApiVersionsResponse(3, Buffer.from(tagged, 'hex').subarray(4)).body.finalizedFeaturesEpoch).toBe(5n);
  });

  it('writes tagged fields in ascending tag order', () => {
    const hex = K.encodeApiVersionsResponse(3, 1, { apiKeys: [], zkMigrationReady: true, finalizedFeaturesEpoch: 1n }).toString('hex');
    expect(hex.slice(8 + 8 + 4 + 2 + 8)).toBe('02' + '0108' + '0000000000000001' + '030101');
  });

  it('skips unknown tags and ignores extra bytes inside a known one', () => {
    // ApiVersions v3 request body: "a", "b", then tags: unknown tag 9 (3 bytes)
    const body = Buffer.from('0261' + '0262' + '01' + '0903aabbcc', 'hex');
    expect(K.decodeRequest(18, 3, body, 0)).toEqual({ clientSoftwareName: 'a', clientSoftwareVersion: 'b' });
    // ApiVersions v3 response body with tag 3 (zkMigrationReady) of size 2: reads 1 byte, skips 1
    const resp = Buffer.from('00000001' + '0000' + '01' + '00000000' + '01' + '0302' + '01ff', 'hex');
    expect(K.decodeApiVersionsResponse(3, resp).body.zkMigrationReady).toBe(true);
  });

  it('rejects a tagged field whose size runs past the frame', () => {
    const body = Buffer.from('0261' + '0262' + '01' + '0910aa', 'hex');
    expect(() => K.decodeRequest(18, 3, body, 0)).toThrow(K.ProtocolError);
  });

  it('tagged struct (Fetch v12 CurrentLeader) is omitted at its default and written when set', () => {
    const base = { responses: [{ topic: 't', partitions: [{ partitionIndex: 0 }] }] };
    const a = K.encodeFetchResponse(12, 1, base);
    const b = K.encodeFetchResponse(12, 1, { responses: [{ topic: 't', partitions: [{ partitionIndex: 0, currentLeader: { leaderId: 1, leaderEpoch: 2 } }] }] });
    // LeaderIdAndEpoch: int32 + int32 + empty tags = 9 bytes; plus tag (1) + size (1) = 11 more bytes
    expect(b.length - a.length).toBe(11);
    const got = K.decodeFetchResponse(12, b.subarray(4)).body.responses[0]!.partitions[0]!;
    expect(got.currentLeader).toEqual({ leaderId: 1, leaderEpoch: 2 });
    expect(K.decodeFetchResponse(12, a.subarray(4)).body.responses[0]!.partitions[0]!.currentLeader).toEqual({ leaderId: -1, leaderEpoch: -1 });
  });
});
