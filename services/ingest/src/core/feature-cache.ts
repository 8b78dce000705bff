// Which features a request gets, cached per codeRef (a content reference: the same ref is the
// same code, so one parse serves every invocation of a function; the day trace has ~50k
// functions for ~30M requests).
//   sourceText + a parser for its language -> parsed (derivedFromSource true), or null on a parse failure
//   otherwise codeMetrics from the producer -> copied (derivedFromSource false)
//   otherwise null
import type { ExecutionRequest } from '@warmcast/kit';
import { deriveFeatures } from './features.ts';
import type { CodeFeaturesValue, CodeParsers } from './features.ts';

export class FeatureCache {
  private readonly parsers: CodeParsers;
  private readonly cache = new Map<string, CodeFeaturesValue | null>();
  private readonly maxEntries: number;
  counts = { parsed: 0, parseFailures: 0, cacheHits: 0, copied: 0, unsupported: 0 };

  constructor(parsers: CodeParsers, maxEntries = 50_000) {
    this.parsers = parsers;
    this.maxEntries = maxEntries;
  }

  featuresOf(r: ExecutionRequest): CodeFeaturesValue | null {
    if (r.sourceText !== null && this.parsers[r.language] !== undefined) {
      const key = `${r.language}\u0000${r.codeRef}`;
      let f = this.cache.get(key);
      if (f !== undefined || this.cache.has(key)) {
        this.counts.cacheHits += 1;
      } else {
        f = deriveFeatures(this.parsers, r.language, r.sourceText);
        if (f === null) this.counts.parseFailures += 1; else this.counts.parsed += 1;
        if (this.cache.size >= this.maxEntries) this.cache.clear();
        this.cache.set(key, f);
      }
      if (f !== null && f !== undefined) return f;
    } else if (r.sourceText !== null) {
      this.counts.unsupported += 1;
    }
    if (r.codeMetrics === null) return null;
    this.counts.copied += 1;
    const m = r.codeMetrics;
    return { lines: m.lines, cyclomaticComplexity: m.cyclomaticComplexity, imports: m.imports, functions: m.functions, derivedFromSource: false };
  }
}
