// `warmcast broker` loads only the broker command. Importing every command (the stack, the
// services, chDB, the models) left ~96 MB of live heap in the broker process, and V8 counts
// the broker's ArrayBuffer churn (socket reads, request frames) towards its next major GC, one
// per ~30 MB under load, each marking that whole heap: that doubled the broker's CPU per message (bench/broker-cpu.bench.ts: 5.2 -> 3.0 us produce,
// 3.0 -> 1.3 us fetch; packages/broker/README.md "CPU per message").
const { buildProgram } = process.argv[2] === 'broker' ? await import('./broker-program.ts') : await import('./program.ts');

await buildProgram().parseAsync(process.argv);
