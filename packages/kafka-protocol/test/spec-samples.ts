/**
 * Test helper: reads spec/*.json (independently of the generator) and builds, per message and
 * version, a sample object with non-default values and the object a decode must return.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export interface Field {
  name: string; type: string; versions?: string; nullableVersions?: string; taggedVersions?: string;
  tag?: number; default?: string | number | boolean; fields?: Field[];
}
export interface Message {
  name: string; type: string; apiKey?: number; validVersions: string; flexibleVersions: string;
  fields: Field[]; commonStructs?: { name: string; fields: Field[] }[];
}

const specDir = join(import.meta.dirname, '..', 'spec');

export function loadSpecs(): Message[] {
  return readdirSync(specDir).filter((f) => f.endsWith('.json') && f !== 'INDEX.json').sort().map((f) => {
    const text = readFileSync(join(specDir, f), 'utf8').split('\n').filter((l) => !l.trim().startsWith('//')).join('\n');
    return JSON.parse(text) as Message;
  });
}

export function inRange(s: string | undefined, v: number): boolean {
  if (s === undefined || s === 'none') return false;
  if (s.endsWith('+')) return v >= Number(s.slice(0, -1));
  const [lo, hi] = s.split('-');
  return hi === undefined ? v === Number(lo) : v >= Number(lo) && v <= Number(hi);
}

export function versions(m: Message): number[] {
  const out: number[] = [];
  for (let v = 0; v <= 20; v++) if (inRange(m.validVersions, v)) out.push(v);
  return out;
}

const camel = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1);

type Obj = Record<string, unknown>;

export class Samples {
  constructor(private readonly m: Message) {}

  private structFields(f: Field): Field[] {
    if (f.fields !== undefined) return f.fields;
    const t = f.type.replace('[]', '');
    const c = this.m.commonStructs?.find((s) => s.name === t);
    if (c === undefined) throw new Error(`no struct ${t}`);
    return c.fields;
  }

  private isStruct(f: Field): boolean { return /^[A-Z]/.test(f.type.replace('[]', '')); }

  defaultOf(f: Field): unknown {
    const t = f.type.replace('[]', '');
    const d = f.default;
    if (f.type.startsWith('[]')) return d === 'null' ? null : [];
    if (t === 'records') return null;
    if (t === 'bytes') return d === 'null' ? null : Buffer.alloc(0);
    if (t === 'string') return d === 'null' ? null : String(d ?? '');
    if (t === 'bool') return d === true || d === 'true';
    if (t === 'uuid') return Buffer.alloc(16);
    if (t === 'int64') return d === undefined ? 0n : BigInt(Number(d));
    if (this.isStruct(f)) return this.struct(this.structFields(f), -1, false, 0).expected;
    if (d === undefined) return 0;
    return typeof d === 'string' && d.startsWith('0x') ? parseInt(d, 16) : Number(d);
  }

  private scalar(t: string, seed: number): unknown {
    switch (t) {
      case 'int8': return -(seed % 100) - 1;
      case 'int16': return -300 - seed;
      case 'uint16': return 65000 + (seed % 500);
      case 'int32': return -100000 - seed;
      case 'int64': return -(1n << 40n) - BigInt(seed);
      case 'float64': return 1.5 + seed;
      case 'bool': return true;
      case 'string': return `s${seed}-é`;
      case 'bytes': return Buffer.from([1, 2, seed & 0xff]);
      case 'records': return Buffer.from([9, 8, 7, seed & 0xff]);
      case 'uuid': return Buffer.alloc(16, seed & 0xff);
      default: throw new Error(`scalar ${t}`);
    }
  }

  /** version -1 = defaults. nulls: use null wherever nullable in v. */
  struct(fields: Field[], v: number, nulls: boolean, seed: number): { input: Obj; expected: Obj } {
    const input: Obj = {};
    const expected: Obj = {};
    const flexible = inRange(this.m.flexibleVersions, v);
    fields.forEach((f, i) => {
      const key = camel(f.name);
      const present = v >= 0 && inRange(f.versions ?? '0+', v) && (f.tag === undefined || (flexible && inRange(f.taggedVersions, v)));
      if (!present) { expected[key] = this.defaultOf(f); return; }
      const s = seed * 7 + i + 1;
      const nullable = inRange(f.nullableVersions, v) || f.type === 'records';
      if (nulls && nullable) { input[key] = null; expected[key] = null; return; }
      const t = f.type.replace('[]', '');
      if (f.type.startsWith('[]')) {
        if (this.isStruct(f)) {
          const a = [0, 1].map((k) => this.struct(this.structFields(f), v, nulls, s + k));
          input[key] = a.map((x) => x.input);
          expected[key] = a.map((x) => x.expected);
        } else {
          const a = [this.scalar(t, s), this.scalar(t, s + 1)];
          input[key] = a;
          expected[key] = a;
        }
      } else if (this.isStruct(f)) {
        const x = this.struct(this.structFields(f), v, nulls, s);
        input[key] = x.input;
        expected[key] = x.expected;
      } else {
        input[key] = this.scalar(t, s);
        expected[key] = input[key];
      }
    });
    return { input, expected };
  }

  message(v: number, nulls: boolean): { input: Obj; expected: Obj } { return this.struct(this.m.fields, v, nulls, 1); }
}
