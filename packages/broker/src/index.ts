/** @warmcast/broker: the embedded single-node Kafka-protocol broker. */
export { startBroker, type RunningBroker } from './server/start-broker.ts';
export { parseBrokerConfig, BrokerConfigError, BROKER_DEFAULTS, type BrokerOptions } from './server/config.ts';
/** Options of startBroker() (dataDir required, the rest defaulted). */
export type { BrokerOptions as BrokerConfig } from './server/config.ts';
export type { BrokerConfig as ResolvedBrokerConfig } from './server/config.ts';
export type { FsyncPolicy } from './storage/index.ts';
