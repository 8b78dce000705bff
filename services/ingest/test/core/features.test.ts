// Complexity counted by hand per snippet (see core/features.ts for the rules):
// CC = 1 (module) + functions + decision points.
import { beforeAll, describe, expect, it } from 'vitest';
import { countNonBlankLines, deriveFeatures } from '../../src/core/features.ts';
import type { CodeParsers } from '../../src/core/features.ts';
import { FeatureCache } from '../../src/core/feature-cache.ts';
import { loadParsers } from '../../src/shell/parsers.ts';
import { request } from '../fixtures.ts';

let parsers: CodeParsers;
beforeAll(async () => { parsers = await loadParsers(); });

const PY = `import os
from collections import defaultdict

def classify(xs, limit):
    out = defaultdict(list)
    for x in xs:                      # for: +1
        if x > limit and x % 2 == 0:  # if: +1, and: +1
            out['big'].append(x)
        elif x < 0:                   # elif: +1
            out['neg'].append(x)
    try:
        os.stat('/tmp')
    except OSError:                   # except: +1
        pass
    evens = [x for x in xs if x % 2 == 0]  # comprehension for: +1, if: +1
    return out if evens else None     # conditional expression: +1

key = lambda v: v                     # a function (lambda)
`;
// functions 2 (classify, lambda); decisions 8; CC = 1 + 2 + 8 = 11; imports 2; non-blank lines 16.

const JS = `const fs = require('fs');
import path from 'path';

export function walk(dir, depth) {
  if (!dir || depth > 3) return [];          // if +1, || +1
  const out = [];
  for (const name of fs.readdirSync(dir)) {  // for-of +1
    out.push(name.endsWith('.js') ? name : path.join(dir, name)); // ternary +1
  }
  switch (depth) {
    case 0: return out;                      // case +1
    default: return out.slice(1);            // default: no
  }
}

const noop = () => {};                      // arrow function
`;
// functions 2; decisions 5; CC = 1 + 2 + 5 = 8; imports 2 (require, import); non-blank lines 14.

const TS = `import type { A } from './a';
import { b } from './b';

export class Store {
  get(k: string): number | undefined {
    try {
      return this.m.get(k) ?? 0;            // ?? +1
    } catch (e) {                           // catch +1
      return undefined;
    }
  }
  private m = new Map<string, number>();
}
while (false) { b(); }                      // while +1
`;
// functions 1 (method get); decisions 3; CC = 1 + 1 + 3 = 5; imports 2; non-blank lines 13.

describe('code features (tree-sitter)', () => {
  it('counts a Python snippet as by hand', () => {
    expect(deriveFeatures(parsers, 'PYTHON', PY)).toEqual({ lines: 16, cyclomaticComplexity: 11, imports: 2, functions: 2, derivedFromSource: true });
  });
  it('counts a JavaScript snippet as by hand', () => {
    expect(deriveFeatures(parsers, 'JAVASCRIPT', JS)).toEqual({ lines: 14, cyclomaticComplexity: 8, imports: 2, functions: 2, derivedFromSource: true });
  });
  it('counts a TypeScript snippet as by hand', () => {
    expect(deriveFeatures(parsers, 'TYPESCRIPT', TS)).toEqual({ lines: 13, cyclomaticComplexity: 5, imports: 2, functions: 1, derivedFromSource: true });
  });
  it('gives CC 1 for straight-line code and 0 lines for blank text', () => {
    expect(deriveFeatures(parsers, 'PYTHON', 'x = 1\n\n   \ny = 2\n')).toEqual({ lines: 2, cyclomaticComplexity: 1, imports: 0, functions: 0, derivedFromSource: true });
    expect(countNonBlankLines('')).toBe(0);
    expect(countNonBlankLines('a\n\t\n b')).toBe(2);
  });
  it('returns null for source that does not parse and for languages without a grammar', () => {
    expect(deriveFeatures(parsers, 'PYTHON', 'def f(:\n  return ((')).toBeNull();
    expect(deriveFeatures(parsers, 'GO', 'package main')).toBeNull();
  });
});

describe('FeatureCache', () => {
  it('parses once per codeRef and counts hits', () => {
    const c = new FeatureCache(parsers);
    const r = request({ sourceText: PY, codeRef: 'sha256:py' });
    expect(c.featuresOf(r)?.cyclomaticComplexity).toBe(11);
    expect(c.featuresOf(r)?.cyclomaticComplexity).toBe(11);
    expect(c.counts).toMatchObject({ parsed: 1, cacheHits: 1 });
  });
  it('copies producer codeMetrics when there is no source (derivedFromSource false)', () => {
    const c = new FeatureCache(parsers);
    expect(c.featuresOf(request({ codeMetrics: { lines: 10, cyclomaticComplexity: 4, imports: 1, functions: 2 } }))).toEqual({ lines: 10, cyclomaticComplexity: 4, imports: 1, functions: 2, derivedFromSource: false });
    expect(c.featuresOf(request())).toBeNull();
  });
  it('never fails the event on a parse failure: null plus a counter, or the producer metrics when sent', () => {
    const c = new FeatureCache(parsers);
    expect(c.featuresOf(request({ sourceText: 'def (', codeRef: 'bad' }))).toBeNull();
    expect(c.counts.parseFailures).toBe(1);
    const m = { lines: 1, cyclomaticComplexity: 1, imports: 0, functions: 0 };
    expect(c.featuresOf(request({ sourceText: 'def (', codeRef: 'bad', codeMetrics: m }))).toEqual({ ...m, derivedFromSource: false });
  });
});
