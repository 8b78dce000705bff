/**
 * Composition root of the embedded broker: parses the config once, opens storage, starts the
 * group coordinator, listens on TCP, and runs retention every retentionCheckIntervalMs.
 *
 * close() order (reverse of start): stop accepting; abort long polls (they answer with what
 * they have); give in-flight requests up to 5 s to finish (a Produce in flight is answered,
 * so an acknowledged message is always durable); end the connections (unread requests are
 * dropped, written answers flushed); close the group
 * coordinator (flushes group metadata); close the offset store and the logs (flush + fsync).
 */
import { setMaxListeners } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { pino } from 'pino';
import { GroupCoordinator } from '../groups/coordinator.ts';
import { handlers } from '../handlers/index.ts';
import { LogManager, OffsetStore } from '../storage/index.ts';
import { logConfigOf, parseBrokerConfig, type BrokerConfig, type BrokerOptions } from './config.ts';
import { Connection } from './connection.ts';
import type { BrokerContext, Clock } from './context.ts';
import { DataNotifier } from './data-notifier.ts';
import { ProducerIdAllocator } from './producer-ids.ts';
import { RequestRouter } from './request-router.ts';

export interface RunningBroker {
  /** Bound port (the real one when 0 was asked). */
  readonly port: number;
  readonly host: string;
  readonly config: BrokerConfig;
  /** Connections with a request being handled right now (diagnostics and tests). */
  inFlight(): number;
  close(): Promise<void>;
}

const systemClock: Clock = { now: () => Date.now() };
const DRAIN_MS = 5000;

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const addr = server.address();
      resolve(typeof addr === 'object' && addr !== null ? addr.port : port);
    });
  });
}

export async function startBroker(options: BrokerOptions): Promise<RunningBroker> {
  const config = parseBrokerConfig(options);
  const logConfig = logConfigOf(config);
  const clock = options.clock ?? systemClock;
  const log = (options.logger ?? pino({ level: 'info' })).child({ unit: 'broker', nodeId: config.nodeId });

  const logs = await LogManager.open(config.dataDir, logConfig, {
    onEvent: (e) => {
      // Recovery that dropped bytes and failed fsyncs are worth a look; rolls and index rebuilds are routine.
      const level = e.type === 'fsync-failed' ? 'error' : e.type === 'tail-truncated' || e.type === 'segments-dropped' ? 'warn' : 'info';
      log[level]({ event: e }, `storage: ${e.type}`);
    },
  });
  let offsets: OffsetStore;
  let producerIds: ProducerIdAllocator;
  try {
    offsets = await OffsetStore.open(config.dataDir, logConfig);
  } catch (err) {
    await logs.close();
    throw err;
  }
  try {
    producerIds = await ProducerIdAllocator.open(config.dataDir);
  } catch (err) {
    await offsets.close();
    await logs.close();
    throw err;
  }
  const groups = new GroupCoordinator({ offsets, clock, log, initialRebalanceDelayMs: config.groupInitialRebalanceDelayMs });
  groups.start();

  const notifier = new DataNotifier();
  const closing = new AbortController();
  // Every connection listens on this one signal to stop with the broker: dozens of clients are
  // normal (warmcast up opens ~40), not the listener leak Node warns about past 10.
  setMaxListeners(0, closing.signal);
  const router = new RequestRouter(handlers);
  const connections = new Set<Connection>();
  let nextConnectionId = 1;
  // Port and host are filled in once bound (port 0 = ephemeral); handlers run only after that.
  const ctx = {
    nodeId: config.nodeId, host: config.advertisedHost, port: config.port, clusterId: config.clusterId,
    config, logs, offsets, groups, clock, log,
    waitForData: (topic: string, partition: number, signal: AbortSignal) => notifier.wait(topic, partition, signal),
    waitForAnyData: (partitions, signal) => notifier.waitAny(partitions, signal),
    notifyData: (topic: string, partition: number) => notifier.notify(topic, partition),
    nextProducerId: () => producerIds.allocate(),
  } satisfies BrokerContext;

  const server = createServer((socket: Socket) => {
    const c = new Connection(nextConnectionId++, socket, router, ctx, closing.signal, config.maxFrameBytes, (gone) => connections.delete(gone));
    connections.add(c);
  });
  let port: number;
  try {
    port = await listen(server, config.port, config.host);
  } catch (err) {
    await groups.close();
    await offsets.close();
    await logs.close();
    throw err;
  }
  (ctx as { port: number }).port = port;

  const retention = setInterval(() => {
    logs.enforceRetention(clock.now()).catch((err: unknown) => log.error({ err }, 'retention failed'));
  }, config.retentionCheckIntervalMs);
  retention.unref();

  log.info({ host: config.host, port, advertised: `${config.advertisedHost}:${port}`, dataDir: config.dataDir }, 'broker listening');

  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= (async () => {
      clearInterval(retention);
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      closing.abort();
      const drained = Promise.all([...connections].map((c) => c.idle()));
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([drained, new Promise((r) => { timer = setTimeout(r, DRAIN_MS); })]);
      clearTimeout(timer);
      // end(), not destroy(): a response written in this turn is still corked and must go out.
      for (const c of [...connections]) c.end();
      await stopped;
      await groups.close();
      await offsets.close();
      await logs.close();
      log.info({ port }, 'broker closed');
    })();
    return closed;
  };
  const inFlight = (): number => [...connections].filter((c) => c.busy).length;
  return { port, host: config.host, config, inFlight, close };
}
