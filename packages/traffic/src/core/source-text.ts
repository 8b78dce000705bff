// Synthesised function source, so ingest's code features (lines, cyclomatic complexity,
// imports, functions) have something real to parse. Deterministic per function id. A
// complexity level 0-3 (weights 40/30/20/10 %) sets how many
// helpers (1-2, 2-3, 3-5, 5-8) and how many branches and loops each has.
// Python, JavaScript and TypeScript; other languages get no source (the generator sends null).
// Measured over 5000 ids (Python): 15 to 173 non-blank lines, median 33.
import type { Language } from '@warmcast/kit';
import { Rng, fnv1a, weighted } from './hash.ts';

type Lang = 'py' | 'js' | 'ts';

const PY_IMPORTS = ['import json', 'import os', 'import re', 'import math', 'import logging', 'import datetime', 'from typing import Any, Dict, List', 'import boto3', 'import requests', 'import numpy as np', 'from collections import defaultdict', 'import hashlib'];
const JS_IMPORTS = ["import fs from 'node:fs/promises';", "import crypto from 'node:crypto';", "import path from 'node:path';", "import { z } from 'zod';", "import axios from 'axios';", "import { S3Client } from '@aws-sdk/client-s3';", "import pino from 'pino';", "import { format } from 'date-fns';", "const _ = require('lodash');", "const { Pool } = require('pg');"];
const NOUNS = ['order', 'record', 'event', 'user', 'item', 'payload', 'batch', 'image', 'row', 'message', 'invoice', 'metric'];
const VERBS = ['parse', 'validate', 'normalize', 'score', 'enrich', 'filter', 'aggregate', 'transform', 'resize', 'route', 'summarize', 'encode'];
const LEVELS: readonly (readonly [number, number])[] = [[0, 0.4], [1, 0.3], [2, 0.2], [3, 0.1]];
const HELPERS: readonly (readonly [number, number])[] = [[1, 2], [2, 3], [3, 5], [5, 8]];

function pyHelper(rng: Rng, name: string, level: number): string[] {
  const noun = rng.pick(NOUNS);
  const out = [`def ${name}(${noun}s, limit=${rng.int(2, 100)}):`, `    result = []`];
  const blocks = rng.int(1, 1 + level);
  for (let b = 0; b < blocks; b++) {
    const kind = rng.int(0, 3);
    if (kind === 0) out.push(`    for ${noun} in ${noun}s:`, `        if ${noun}.get("${rng.pick(NOUNS)}") is None:`, `            continue`, `        result.append(${noun})`);
    else if (kind === 1) out.push(`    if len(${noun}s) > limit:`, `        result = result[:limit]`, `    elif not ${noun}s:`, `        return []`, `    else:`, `        result.extend(${noun}s)`);
    else if (kind === 2) out.push(`    i = 0`, `    while i < len(result) and i < limit:`, `        if result[i] and result[i].get("${rng.pick(NOUNS)}", 0) > ${rng.int(1, 9)}:`, `            result[i]["flag"] = True`, `        i += 1`);
    else out.push(`    try:`, `        result = [x for x in result if x]`, `    except (TypeError, KeyError) as err:`, `        logging.warning("skip %s", err)`);
  }
  out.push(`    return result`, '');
  return out;
}

function jsHelper(rng: Rng, name: string, level: number, ts: boolean): string[] {
  const noun = rng.pick(NOUNS);
  const sig = ts ? `${noun}s: Array<Record<string, unknown>>, limit: number = ${rng.int(2, 100)}): Array<Record<string, unknown>>` : `${noun}s, limit = ${rng.int(2, 100)})`;
  const out = [`function ${name}(${sig} {`, `  let result${ts ? ': Array<Record<string, unknown>>' : ''} = [];`];
  const blocks = rng.int(1, 1 + level);
  for (let b = 0; b < blocks; b++) {
    const kind = rng.int(0, 3);
    if (kind === 0) out.push(`  for (const ${noun} of ${noun}s) {`, `    if (${noun}['${rng.pick(NOUNS)}'] == null) continue;`, `    result.push(${noun});`, `  }`);
    else if (kind === 1) out.push(`  if (${noun}s.length > limit) {`, `    result = result.slice(0, limit);`, `  } else if (${noun}s.length === 0) {`, `    return [];`, `  } else {`, `    result = result.concat(${noun}s);`, `  }`);
    else if (kind === 2) out.push(`  let i${b} = 0;`, `  while (i${b} < result.length && i${b} < limit) {`, `    const v = result[i${b}];`, `    if (v && Number(v['${rng.pick(NOUNS)}']) > ${rng.int(1, 9)}) v['flag'] = true;`, `    i${b}++;`, `  }`);
    else out.push(`  try {`, `    result = result.filter((x) => x !== null && x !== undefined ? true : false);`, `  } catch (err) {`, `    console.warn('skip', err);`, `  }`);
  }
  out.push(`  return result;`, `}`, '');
  return out;
}

function langOf(language: Language): Lang | undefined {
  if (language === 'PYTHON') return 'py';
  if (language === 'JAVASCRIPT') return 'js';
  if (language === 'TYPESCRIPT') return 'ts';
  return undefined;
}

/** Source for a function, or null for languages without templates. Same id -> same text. */
export function synthesizeSource(functionId: string, language: Language): string | null {
  const lang = langOf(language);
  if (lang === undefined) return null;
  const rng = new Rng(fnv1a(`source-text|${functionId}`));
  const level = weighted(LEVELS, rng.next());
  const [lo, hi] = HELPERS[level] ?? [1, 2];
  const helperCount = rng.int(lo, hi);
  const pool = lang === 'py' ? PY_IMPORTS : JS_IMPORTS;
  const imports = new Set<string>();
  const importCount = rng.int(1, 2 + 2 * level);
  while (imports.size < Math.min(importCount, pool.length)) imports.add(rng.pick(pool));
  const names: string[] = [];
  for (let i = 0; i < helperCount; i++) {
    const snake = `${rng.pick(VERBS)}_${rng.pick(NOUNS)}_${i}`;
    names.push(lang === 'py' ? snake : snake.replace(/_(\w)/g, (_m, c: string) => c.toUpperCase()));
  }
  // the Python handler uses json and the helpers logging: always imported
  if (lang === 'py') for (const m of ['import json', 'import logging']) imports.add(m);
  const lines: string[] = [...imports, ''];
  names.forEach((n) => lines.push(...(lang === 'py' ? pyHelper(rng, n, level) : jsHelper(rng, n, level, lang === 'ts'))));
  if (lang === 'py') {
    lines.push('def handler(event, context):', '    items = event.get("items", [])');
    for (const n of names) lines.push(`    items = ${n}(items)`);
    lines.push('    if not items:', '        return {"statusCode": 204}', '    return {"statusCode": 200, "body": json.dumps(items)}');
  } else {
    lines.push(`export async function handler(event${lang === 'ts' ? ': { items?: Array<Record<string, unknown>> }' : ''}) {`, '  let items = event.items ?? [];');
    for (const n of names) lines.push(`  items = ${n}(items);`);
    lines.push('  if (items.length === 0) return { statusCode: 204 };', '  return { statusCode: 200, body: JSON.stringify(items) };', '}');
  }
  return lines.join('\n') + '\n';
}
