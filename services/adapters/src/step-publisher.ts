// Publishes each input's reports exactly in the order the inputs were taken, one step at a time
// across every consumer loop, and remembers a step's reports until they are published: when the
// publication fails, the consumer loop retries the same message (same position) and the same
// reports go out again instead of being recomputed (recomputing would answer DUPLICATE and lose
// the APPLIED answer, or lose a window's outcome).

export class StepPublisher<E> {
  private chain: Promise<void> = Promise.resolve();
  private readonly unpublished = new Map<string, E>();

  constructor(private readonly publish: (entry: E) => Promise<void>) {}

  /** Steps still waiting to be (re)published. */
  get pending(): number {
    return this.unpublished.size;
  }

  /** position: the input message's topic/partition/offset. Rejects when compute or publish fails. */
  run(position: string, compute: () => Promise<E>): Promise<E> {
    return this.inOrder(async () => {
      let entry = this.unpublished.get(position);
      if (entry === undefined) {
        entry = await compute();
        this.unpublished.set(position, entry);
      }
      await this.publish(entry);
      this.unpublished.delete(position);
      return entry;
    });
  }

  private async inOrder<T>(work: () => Promise<T>): Promise<T> {
    const previous = this.chain;
    let release: () => void = () => {};
    this.chain = new Promise<void>((resolve) => { release = resolve; });
    try {
      await previous;
      return await work();
    } finally {
      release();
    }
  }
}
