import type { Command } from 'commander';

// Placeholder: filled in by the work that builds the registry.
export function registerRegistryCommand(program: Command): void {
  program.command('registry').description('(registry: not yet implemented)').action(() => {
    throw new Error('warmcast registry is not implemented yet');
  });
}
