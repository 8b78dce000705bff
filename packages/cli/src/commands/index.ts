import type { Command } from 'commander';
import { registerBrokerCommand } from './broker.ts';
import { registerRegistryCommand } from './registry.ts';
import { registerReplayCommand } from './replay.ts';

/** Every top-level command; one file per command. */
export const commands: ReadonlyArray<(program: Command) => void> = [
  registerBrokerCommand,
  registerRegistryCommand,
  registerReplayCommand,
];
