import * as core from '../src/core/partition-profiler.ts';
import { profilerOptions } from '../src/core/options.ts';
import { generateEvents } from '../test/fixtures/events.ts';
import { benchCore } from './profiler.bench.ts';
const events = generateEvents({ users: 300, minutes: 120, seed: 1 });
for (let i = 0; i < 2; i++) { const r = benchCore('x', core, profilerOptions(), events, 500); console.log(r.seconds, r.cpuMs / r.events); }
