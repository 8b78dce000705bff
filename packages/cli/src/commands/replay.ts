import type { Command } from 'commander';

// Placeholder: filled in by the work that builds the replay.
export function registerReplayCommand(program: Command): void {
  program.command('replay').description('(replay: not yet implemented)').action(() => {
    throw new Error('warmcast replay is not implemented yet');
  });
}
