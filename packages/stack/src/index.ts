// @warmcast/stack: the one-command embedded stack behind `warmcast up` / `npm start`.
export { startStack } from './start-stack.ts';
export type { RunningStack, StartStackHooks } from './start-stack.ts';
export { parseStackOptions, STACK_DEFAULTS, StackOptionError } from './core/options.ts';
export type { StackOptions } from './core/options.ts';
export { summarize, formatSummary } from './core/summary.ts';
export type { Summary, StackSnapshot, Stats } from './core/summary.ts';
