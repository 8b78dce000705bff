// The one-allocation record batch encoder moved to @warmcast/lean-client (the shared
// LeanProducer uses it); re-exported here for the ingest tests that pin its bytes.
export { encodePlainBatch } from '@warmcast/lean-client';
export type { PlainRecord } from '@warmcast/lean-client';
