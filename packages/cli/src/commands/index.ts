import type { Command } from 'commander';
import { registerBrokerCommand } from './broker.ts';
import { registerPublishCommand } from './publish.ts';
import { registerRegistryCommand } from './registry.ts';
import { registerReplayCommand } from './replay.ts';
import { registerSqlCommand } from './sql.ts';
import { registerTailCommand } from './tail.ts';
import { registerTopicsCommand } from './topics.ts';
import { registerTrainCommand } from './train.ts';
import { registerUpCommand } from './up.ts';

/** Every top-level command; one file per command. */
export const commands: ReadonlyArray<(program: Command) => void> = [
  registerBrokerCommand,
  registerRegistryCommand,
  registerReplayCommand,
  registerPublishCommand,
  registerTailCommand,
  registerTopicsCommand,
  registerUpCommand,
  registerSqlCommand,
  registerTrainCommand,
];
