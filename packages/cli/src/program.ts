import { Command } from 'commander';
import { commands } from './commands/index.ts';

/** The warmcast command tree. Each command lives in its own file under commands/. */
export function buildProgram(): Command {
  const program = new Command('warmcast')
    .description('warmcast: predictive warming of VMs and containers for code-execution services')
    .showHelpAfterError()
    .enablePositionalOptions();
  for (const register of commands) register(program);
  return program;
}
