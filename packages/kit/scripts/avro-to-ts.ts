// Avro schema JSON -> TypeScript declarations. For each record two interfaces:
//   Name       what a consumer receives: every field present (defaults filled in by avsc)
//   NameInput  what a producer may pass: fields with a default are optional (avsc fills them)
// Enums become string-literal unions plus a `NameSymbols` array. A named type defined in
// several files must be defined identically (checked), and is emitted once.

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

interface Named { fullName: string; schema: Obj }

const PRIMITIVE: Record<string, string> = {
  null: 'null', boolean: 'boolean', int: 'number', long: 'number', float: 'number', double: 'number',
  bytes: 'Buffer', string: 'string',
};

function shortName(fullName: string): string {
  return fullName.slice(fullName.lastIndexOf('.') + 1);
}

function qualify(name: string, namespace: string | undefined): string {
  return name.includes('.') || namespace === undefined ? name : `${namespace}.${name}`;
}

function isObj(x: Json): x is Obj {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function docComment(doc: Json | undefined, indent: string): string {
  return typeof doc === 'string' ? `${indent}/** ${doc.replace(/\*\//g, '* /')} */\n` : '';
}

export function generateTypes(schemas: readonly unknown[]): string {
  const named = new Map<string, Named>();
  const order: string[] = [];

  // First pass: collect named types in definition order, depth first.
  const collect = (s: Json, ns: string | undefined): void => {
    if (Array.isArray(s)) { s.forEach((b) => collect(b, ns)); return; }
    if (!isObj(s)) return;
    const type = s['type'];
    if (type === 'record' || type === 'enum' || type === 'fixed') {
      const fullName = qualify(String(s['name']), typeof s['namespace'] === 'string' ? s['namespace'] : ns);
      const childNs = fullName.includes('.') ? fullName.slice(0, fullName.lastIndexOf('.')) : undefined;
      const existing = named.get(fullName);
      if (existing !== undefined) {
        if (JSON.stringify(existing.schema) !== JSON.stringify(s)) throw new Error(`named type ${fullName} is defined differently in two schemas`);
        return;
      }
      named.set(fullName, { fullName, schema: s });
      order.push(fullName);
      if (type === 'record' && Array.isArray(s['fields'])) {
        for (const f of s['fields']) if (isObj(f)) collect(f['type'] ?? null, childNs);
      }
      return;
    }
    if (type === 'array') collect(s['items'] ?? null, ns);
    else if (type === 'map') collect(s['values'] ?? null, ns);
    else if (type !== undefined && (isObj(type) || Array.isArray(type))) collect(type, ns);
  };
  for (const s of schemas) collect(s as Json, undefined);

  const shortNames = new Map<string, string>();
  for (const full of order) {
    const short = shortName(full);
    const clash = shortNames.get(short);
    if (clash !== undefined) throw new Error(`short type name ${short} used by ${clash} and ${full}`);
    shortNames.set(short, full);
  }

  const tsType = (s: Json, ns: string | undefined, input: boolean): string => {
    if (typeof s === 'string') {
      const prim = PRIMITIVE[s];
      if (prim !== undefined) return prim;
      const full = named.has(s) ? s : qualify(s, ns);
      const n = named.get(full);
      if (n === undefined) throw new Error(`unknown type reference ${s}`);
      return input && n.schema['type'] === 'record' ? `${shortName(full)}Input` : shortName(full);
    }
    if (Array.isArray(s)) return s.map((b) => tsType(b, ns, input)).join(' | ');
    if (!isObj(s)) throw new Error(`bad schema ${JSON.stringify(s)}`);
    const type = s['type'];
    if (type === 'record' || type === 'enum' || type === 'fixed') {
      return tsType(qualify(String(s['name']), typeof s['namespace'] === 'string' ? s['namespace'] : ns), ns, input);
    }
    if (type === 'array') { const t = tsType(s['items'] ?? null, ns, input); return t.includes('|') ? `Array<${t}>` : `${t}[]`; }
    if (type === 'map') return `Record<string, ${tsType(s['values'] ?? null, ns, input)}>`;
    return tsType(type ?? null, ns, input);
  };

  const out: string[] = ['/* eslint-disable */', ''];
  for (const full of order) {
    const { schema } = named.get(full) as Named;
    const short = shortName(full);
    const ns = full.includes('.') ? full.slice(0, full.lastIndexOf('.')) : undefined;
    const kind = schema['type'];
    if (kind === 'enum') {
      const symbols = (schema['symbols'] as string[]);
      out.push(docComment(schema['doc'], '') + `export type ${short} = ${symbols.map((x) => `'${x}'`).join(' | ')};`);
      out.push(`export const ${short}Symbols = [${symbols.map((x) => `'${x}'`).join(', ')}] as const satisfies readonly ${short}[];`, '');
    } else if (kind === 'fixed') {
      out.push(docComment(schema['doc'], '') + `/** fixed, ${String(schema['size'])} bytes */\nexport type ${short} = Buffer;`, '');
    } else {
      for (const input of [false, true]) {
        const name = input ? `${short}Input` : short;
        out.push(docComment(schema['doc'], '') + `export interface ${name} {`);
        for (const f of schema['fields'] as Obj[]) {
          const optional = input && f['default'] !== undefined;
          out.push(docComment(f['doc'], '  ') + `  ${String(f['name'])}${optional ? '?' : ''}: ${tsType(f['type'] ?? null, ns, input)};`);
        }
        out.push('}', '');
      }
    }
  }
  return out.join('\n');
}
