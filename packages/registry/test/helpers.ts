import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RestError } from '@confluentinc/schemaregistry';
import { expect } from 'vitest';
import { startRegistry } from '../src/index.ts';
import type { RunningRegistry } from '../src/index.ts';

export interface Fixture {
  readonly registry: RunningRegistry;
  readonly dataDir: string;
  cleanup(): Promise<void>;
}

/** A live registry on port 0 in a fresh temp dir; cleanup closes it and removes the dir. */
export async function liveRegistry(): Promise<Fixture> {
  const dataDir = await mkdtemp(join(tmpdir(), 'warmcast-registry-'));
  const registry = await startRegistry({ port: 0, dataDir });
  return {
    registry,
    dataDir,
    async cleanup() {
      await registry.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export const record = (name: string, fields: unknown[]): string => JSON.stringify({ type: 'record', name, fields });

/** Awaits a client call that must fail with a RestError of this status and error code. */
export async function expectRestError(p: Promise<unknown>, status: number, errorCode: number): Promise<RestError> {
  const err: unknown = await p.then(
    () => new Error('expected a RestError, the call succeeded'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(RestError);
  const re = err as RestError;
  expect({ status: re.status, errorCode: re.errorCode }).toEqual({ status, errorCode });
  return re;
}
