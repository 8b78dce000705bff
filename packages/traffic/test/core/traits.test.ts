import { describe, expect, it } from 'vitest';
import { fittingClass, functionTraits, languageOf, userTraits } from '../../src/core/traits.ts';
import { synthesizeSource } from '../../src/core/source-text.ts';

const ids = Array.from({ length: 4000 }, (_, i) => `fn-${i}`);
const profile = { durationMs: [[0.5, 100]], memoryMb: [[0.5, 120], [0.99, 200]] } as const;
const share = (xs: readonly string[], v: string): number => xs.filter((x) => x === v).length / xs.length;

describe('function traits', () => {
  const traits = ids.map((id) => functionTraits(id, profile));

  it('follow the documented runtime mix within sampling error (4000 ids: +-3 points)', () => {
    const rt = traits.map((t) => t.runtime);
    expect(share(rt, 'python3.12')).toBeCloseTo(0.45, 1);
    expect(share(rt, 'node20')).toBeCloseTo(0.3, 1);
    expect(Math.abs(share(rt, 'go1.22') - 0.12)).toBeLessThan(0.03);
    expect(Math.abs(share(rt, 'java21') - 0.13)).toBeLessThan(0.03);
  });

  it('size p99 = 200 MB to XS plus headroom: XS ~60 %, S ~28 %, M ~12 %, GPU rare', () => {
    const sc = traits.map((t) => t.sizeClass);
    expect(Math.abs(share(sc, 'XS') - 0.6 * 0.987)).toBeLessThan(0.04);
    expect(Math.abs(share(sc, 'M') - 0.12 * 0.987)).toBeLessThan(0.03);
    expect(share(sc, 'L')).toBe(0);
    expect(share(sc, 'GPU')).toBeGreaterThan(0);
    expect(share(sc, 'GPU')).toBeLessThan(0.03);
  });

  it('are a function of the id only', () => {
    expect(functionTraits('fn-7', profile)).toEqual(functionTraits('fn-7', profile));
  });

  it.each([[100, 0], [256, 0], [257, 1], [1024, 2], [3000, 4], [9000, 4]])('fittingClass(%s MB) = %s', (mb, idx) => {
    expect(fittingClass(mb)).toBe(idx);
  });

  it('maps runtimes to languages', () => {
    expect(languageOf('python3.12', 'x')).toBe('PYTHON');
    expect(languageOf('go1.22', 'x')).toBe('GO');
    expect(languageOf('java21', 'x')).toBe('JAVA');
    expect(languageOf('ruby3', 'x')).toBe('OTHER');
    expect(new Set(ids.map((id) => languageOf('node20', id)))).toEqual(new Set(['JAVASCRIPT', 'TYPESCRIPT']));
  });
});

describe('user traits', () => {
  it('tier mix and priority bands', () => {
    const users = ids.map((id) => userTraits(id));
    expect(share(users.map((u) => u.tier), 'FREE')).toBeCloseTo(0.5, 1);
    expect(Math.abs(share(users.map((u) => u.tier), 'ENTERPRISE') - 0.05)).toBeLessThan(0.02);
    for (const u of users) {
      const [lo, hi] = { FREE: [0, 2], STANDARD: [3, 5], PREMIUM: [6, 7], ENTERPRISE: [8, 9], UNKNOWN: [-1, -1] }[u.tier];
      expect(u.priority).toBeGreaterThanOrEqual(lo as number);
      expect(u.priority).toBeLessThanOrEqual(hi as number);
    }
  });
});

describe('synthesizeSource', () => {
  it('writes Python, JavaScript and TypeScript of varied size, and nothing for Go', () => {
    expect(synthesizeSource('x', 'GO')).toBeNull();
    const py = ids.slice(0, 300).map((id) => synthesizeSource(id, 'PYTHON') ?? '');
    const sizes = py.map((s) => s.split('\n').filter((l) => l.trim() !== '').length);
    expect(Math.min(...sizes)).toBeLessThan(25);
    expect(Math.max(...sizes)).toBeGreaterThan(80);
    expect(py[0]).toMatch(/def handler\(event, context\):/);
    const ts = synthesizeSource('fn-1', 'TYPESCRIPT') ?? '';
    expect(ts).toMatch(/export async function handler\(event: /);
    expect(ts).toMatch(/Array<Record<string, unknown>>/);
    expect(synthesizeSource('fn-1', 'JAVASCRIPT')).not.toMatch(/Array</);
    expect(synthesizeSource('fn-1', 'PYTHON')).toBe(synthesizeSource('fn-1', 'PYTHON'));
  });
});
