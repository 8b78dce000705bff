import * as svc from '../src/index.ts';
import { generateEvents } from '../test/fixtures/events.ts';
import { benchE2e } from './profiler.bench.ts';
const events = generateEvents({ users: 300, minutes: 120, seed: 1 });
const t0 = process.uptime();
const r = await benchE2e('x', svc, events, 4);
console.log('window', t0, process.uptime(), r.seconds, r.cpuMs / r.events);
process.exit(0);
