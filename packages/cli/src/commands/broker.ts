import type { Command } from 'commander';

// Placeholder: filled in by the work that builds the broker.
export function registerBrokerCommand(program: Command): void {
  program.command('broker').description('(broker: not yet implemented)').action(() => {
    throw new Error('warmcast broker is not implemented yet');
  });
}
