// The pure core: state, events, decisions and queries. No I/O, no clock (time is an argument).
export * from './errors.ts';
export * from './compatibility.ts';
export * from './schema.ts';
export * from './events.ts';
export * from './state.ts';
export * from './candidate.ts';
export * from './commands.ts';
export * from './queries.ts';
