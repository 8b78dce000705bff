// The public shape of the ingest service (factory options and the running service).
import type { KitConfig, KitService, Logger } from '@warmcast/kit';
import type { Warehouse } from '@warmcast/warehouse';
import type { IngestOptions, IngestOptionsInput } from './core/options.ts';
import type { HmacKey } from './core/pseudonym.ts';
import type { CodeParsers } from './core/features.ts';
import type { CommitPoint } from '@warmcast/kit';

export interface IngestServiceOptions {
  readonly config: KitConfig;
  readonly logger?: Logger;
  /** Where raw rows go (raw_requests, raw_metrics); only insert() is used. */
  readonly warehouse: Pick<Warehouse, 'insert'>;
  /** The pseudonymization key (WARMCAST_INGEST_HMAC_KEY); DEV_HMAC_KEY only for the embedded stack. */
  readonly hmacKey: HmacKey;
  /** During a key rotation: the key being retired (see docs/ingest.md "Key rotation"). */
  readonly previousHmacKey?: HmacKey | null;
  /** Ingest options (validated); defaults in DEFAULT_INGEST_OPTIONS. */
  readonly options?: IngestOptions | IngestOptionsInput;
  /** Loaded tree-sitter grammars; default: loaded from tree-sitter-wasms at start(). */
  readonly parsers?: CodeParsers;
  /** Wall clock for ingestedAt / dead letters / the 'wall' reference; tests inject one. */
  readonly clock?: { now(): number };
  /** Read the input topics from the beginning when the group has no committed offset (default true). */
  readonly fromBeginning?: boolean;
  /** Test seam: runs after a batch's output is durable, before its offsets are committed. */
  readonly beforeCommit?: (points: readonly CommitPoint[]) => Promise<void>;
}

export interface IngestService {
  start(): Promise<void>;
  /** Stops fetching, waits for in-flight batches to be stored and forwarded, commits, closes. */
  close(): Promise<void>;
  /** Live counters for a summary line (events in, rejected, forwarded, pending pairs, ...). */
  stats(): Record<string, number>;
  /** The kit composition root (logger, metrics, HTTP port, producer). */
  readonly kit: KitService;
  readonly options: IngestOptions;
}
