import { Command } from 'commander';
import { registerBrokerCommand } from './commands/broker.ts';

/** The command tree with only `warmcast broker` (main.ts: a broker process imports nothing else). */
export function buildProgram(): Command {
  const program = new Command('warmcast')
    .description('warmcast: predictive warming of VMs and containers for code-execution services')
    .showHelpAfterError()
    .enablePositionalOptions();
  registerBrokerCommand(program);
  return program;
}
