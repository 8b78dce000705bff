/**
 * Producer ids for InitProducerId, never reused across restarts: ids are handed out from
 * blocks of BLOCK_SIZE, and the end of the current block is written (tmp file, fsync,
 * rename) to <dataDir>/producer-ids.json BEFORE any id of the block is used. A crash wastes
 * at most one block (1000 ids of 2^63). Kafka does the same with its ProducerIdManager blocks.
 */
import { open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';

export const BLOCK_SIZE = 1000n;
const FILE = 'producer-ids.json';

export class ProducerIdAllocator {
  private next: bigint;
  private blockEnd: bigint;
  private chain: Promise<unknown> = Promise.resolve();

  private constructor(private readonly dir: string, persistedEnd: bigint) {
    // Start at the persisted end: everything below it may have been handed out already.
    this.next = persistedEnd;
    this.blockEnd = persistedEnd;
  }

  static async open(dataDir: string): Promise<ProducerIdAllocator> {
    let end = 0n;
    try {
      const json = JSON.parse(await readFile(join(dataDir, FILE), 'utf8')) as { nextBlockStart?: unknown };
      if (typeof json.nextBlockStart !== 'string' || !/^\d+$/.test(json.nextBlockStart)) {
        throw new Error(`${FILE}: nextBlockStart ${JSON.stringify(json.nextBlockStart)} is not a decimal string`);
      }
      end = BigInt(json.nextBlockStart);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    return new ProducerIdAllocator(dataDir, end);
  }

  /** Serialized so two concurrent callers never get the same id. */
  allocate(): Promise<bigint> {
    const p = this.chain.then(async () => {
      if (this.next >= this.blockEnd) {
        const end = this.next + BLOCK_SIZE;
        await this.persist(end);
        this.blockEnd = end;
      }
      const id = this.next;
      this.next += 1n;
      return id;
    });
    this.chain = p.catch(() => undefined);
    return p;
  }

  private async persist(end: bigint): Promise<void> {
    const path = join(this.dir, FILE);
    const tmp = `${path}.tmp`;
    const fh = await open(tmp, 'w');
    try {
      await fh.writeFile(JSON.stringify({ nextBlockStart: end.toString() }));
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
    const dir = await open(this.dir, 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  }
}
