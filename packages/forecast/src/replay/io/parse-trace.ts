// Parses the two trace layouts (see /work/shared/data/README.md) from CSV text. The layout is
// detected from the invocation file's header, not from file names:
//   day: HashFunction,HashOwner,HashApp,minute_1..minute_1440  (slot 0 = 00:00)
//   8h:  HashOwner,HashApp,HashFunction,Trigger,480..959        (slot 0 = minute 480 of the day)
// Memory is looked up by function hash when the memory file has a HashFunction column, else by
// app hash; 150 MB when missing. Duration is `Average` / 1000 s, at least 0.001 s.
import { DEFAULT_MEMORY_MB, MIN_DURATION_SEC } from '../trace.ts';
import type { Trace, TraceFunction, TraceLayout } from '../trace.ts';
import { TraceError } from './trace-error.ts';

interface Table { header: string[]; rows: string[][] }

function parseCsv(text: string, file: string): Table {
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
  const first = lines[0];
  if (first === undefined) throw new TraceError('TRACE_EMPTY', `${file} is empty`);
  const split = (l: string): string[] => l.split(',').map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
  return { header: split(first), rows: lines.slice(1).map(split) };
}

function col(t: Table, name: string, file: string): number {
  const i = t.header.indexOf(name);
  if (i < 0) throw new TraceError('TRACE_BAD_HEADER', `${file}: column ${name} missing`);
  return i;
}

export function detectLayout(header: readonly string[]): { layout: TraceLayout; firstMinuteCol: number; startMinuteOfDay: number } {
  const dayCol = header.indexOf('minute_1');
  if (dayCol >= 0) return { layout: 'day', firstMinuteCol: dayCol, startMinuteOfDay: 0 };
  const numCol = header.findIndex((h) => /^\d+$/.test(h));
  if (numCol >= 0) return { layout: '8h', firstMinuteCol: numCol, startMinuteOfDay: Number(header[numCol]) };
  throw new TraceError('TRACE_BAD_HEADER', 'invocation header has neither minute_1.. nor numeric minute columns');
}

export interface TraceTexts { invocations: string; durations: string; memory: string }

export function parseTrace(texts: TraceTexts): Trace {
  const inv = parseCsv(texts.invocations, 'invocations');
  const dur = parseCsv(texts.durations, 'durations');
  const mem = parseCsv(texts.memory, 'memory');
  const { layout, firstMinuteCol, startMinuteOfDay } = detectLayout(inv.header);
  const minutes = inv.header.length - firstMinuteCol;
  const iF = col(inv, 'HashFunction', 'invocations');
  const iO = col(inv, 'HashOwner', 'invocations');
  const iA = col(inv, 'HashApp', 'invocations');
  const iT = inv.header.indexOf('Trigger');

  const durF = col(dur, 'HashFunction', 'durations');
  const durA = col(dur, 'HashApp', 'durations');
  const durAvg = col(dur, 'Average', 'durations');
  const durations = new Map<string, number>();
  for (const row of dur.rows) durations.set(`${row[durA]}|${row[durF]}`, Number(row[durAvg]));

  const memByFunction = mem.header.includes('HashFunction');
  const memKey = col(mem, memByFunction ? 'HashFunction' : 'HashApp', 'memory');
  const memApp = col(mem, 'HashApp', 'memory');
  const memAvg = col(mem, 'AverageAllocatedMb', 'memory');
  const memory = new Map<string, number>();
  for (const row of mem.rows) {
    const key = memByFunction ? `${row[memApp]}|${row[memKey]}` : `${row[memKey]}`;
    memory.set(key, Number(row[memAvg]));
  }

  const functions: TraceFunction[] = [];
  const counts: Int32Array[] = [];
  for (const row of inv.rows) {
    const id = row[iF] ?? '';
    const app = row[iA] ?? '';
    const avgMs = durations.get(`${app}|${id}`);
    const mb = memory.get(memByFunction ? `${app}|${id}` : app);
    functions.push({
      id,
      user: row[iO] ?? '',
      app,
      ...(iT >= 0 ? { trigger: row[iT] ?? '' } : {}),
      memoryMb: mb !== undefined && Number.isFinite(mb) && mb > 0 ? mb : DEFAULT_MEMORY_MB,
      durationSec: Math.max(MIN_DURATION_SEC, avgMs !== undefined && Number.isFinite(avgMs) ? avgMs / 1000 : 0),
    });
    const c = new Int32Array(minutes);
    for (let t = 0; t < minutes; t++) {
      const v = Number(row[firstMinuteCol + t] ?? 0);
      if (!Number.isFinite(v) || v < 0) throw new TraceError('TRACE_BAD_VALUE', `invocations: function ${id} minute ${t}: ${row[firstMinuteCol + t]}`);
      c[t] = v;
    }
    counts.push(c);
  }
  return { layout, functions, counts, minutes, startMinuteOfDay };
}
