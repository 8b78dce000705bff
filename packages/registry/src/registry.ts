import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { applyEvent, emptyState } from './core/index.ts';
import { parseRegistryConfig } from './config.ts';
import type { RegistryOptions } from './config.ts';
import { createHandler } from './server/http.ts';
import { RegistryService } from './server/service.ts';
import { openJournal } from './store/journal.ts';

export interface RunningRegistry {
  readonly port: number;
  /** e.g. http://127.0.0.1:8081, for `new SchemaRegistryClient({ baseURLs: [url] })`. */
  readonly url: string;
  /** Stops accepting, finishes in-flight changes, closes the journal. Idempotent. */
  close(): Promise<void>;
}

/**
 * Composition root: replay the journal into a fresh state, then serve HTTP. Every change
 * is fsync'd to the journal before its reply is sent.
 */
export async function startRegistry(opts: RegistryOptions): Promise<RunningRegistry> {
  const config = parseRegistryConfig(opts);
  const log = (opts.logger ?? pino({ level: 'silent' })).child({ component: 'registry' });
  const clock = opts.clock ?? Date.now;

  const { journal, records, truncatedBytes } = await openJournal(config.dataDir);
  const state = emptyState();
  for (const rec of records) for (const e of rec) applyEvent(state, e);
  if (truncatedBytes > 0) log.warn({ truncatedBytes }, 'journal ended in a torn line; cut it off');
  log.info({ dataDir: config.dataDir, records: records.length, schemas: state.schemas.size, subjects: state.subjects.size }, 'journal replayed');

  const svc = new RegistryService(state, journal, clock, log);
  const server = createServer(createHandler(svc, log));
  server.keepAliveTimeout = 5_000;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    await journal.close();
    throw err;
  }
  const port = (server.address() as AddressInfo).port;
  const hostInUrl = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${hostInUrl}:${port}`;
  log.info({ host: config.host, port, url }, 'schema registry listening');

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await stopped;
      await svc.drain();
      await journal.close();
      log.info({ port }, 'schema registry closed');
    })();
    return closing;
  };
  return { port, url, close };
}
