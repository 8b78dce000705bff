// A small gradient-boosted tree ensemble for a binary target (log loss), histogram based:
// every feature is cut at up to 31 quantiles of the rows, each tree has depth 3 (8 leaves), leaf
// values are Newton steps -G / (H + lambda) shrunk by the learning rate. Written for the global
// combiner (combiner.ts), where a linear model cannot split on gap x activity x candidate.
import type { WeightedRows } from './logistic.ts';
import { sigmoid } from './logistic.ts';

export interface BoostOptions {
  readonly trees?: number;
  readonly depth?: number;
  readonly rate?: number;
  /** L2 on leaf values, in weight units */
  readonly lambda?: number;
  /** cut points per feature + 1 */
  readonly bins?: number;
  /** fit on every k-th row (weighted k) so that at most this many are used */
  readonly maxRows?: number;
}

function thinned(rows: WeightedRows, maxRows: number): WeightedRows {
  const k = Math.ceil(rows.n / maxRows);
  if (k <= 1) return rows;
  const n = Math.floor((rows.n - 1) / k) + 1;
  const x = new Float64Array(n * rows.d);
  const y = new Uint8Array(n);
  const w = new Float64Array(n);
  for (let i = 0, r = 0; r < rows.n; i++, r += k) {
    x.set(rows.x.subarray(r * rows.d, (r + 1) * rows.d), i * rows.d);
    y[i] = rows.y[r] ?? 0;
    w[i] = k * (rows.w[r] ?? 0);
  }
  return { d: rows.d, n, x, y, w };
}

interface Tree {
  /** internal nodes in heap order (children of i: 2i+1, 2i+2); feature -1 = no split (both sides equal) */
  readonly feature: Int16Array;
  readonly cut: Float64Array;
  /** leaves in heap order after the internal nodes */
  readonly leaf: Float64Array;
}

export class BoostedTrees {
  private constructor(private readonly base: number, private readonly trees: readonly Tree[], private readonly depth: number) {}

  /** log-odds for the row starting at x[offset] */
  margin(x: ArrayLike<number>, offset = 0): number {
    let f = this.base;
    for (const t of this.trees) {
      let node = 0;
      for (let l = 0; l < this.depth; l++) {
        const j = t.feature[node] ?? -1;
        node = 2 * node + ((j >= 0 && (x[offset + j] ?? 0) > (t.cut[node] ?? 0)) ? 2 : 1);
      }
      f += t.leaf[node - (2 ** this.depth - 1)] ?? 0;
    }
    return f;
  }

  predict(x: ArrayLike<number>, offset = 0): number {
    return sigmoid(this.margin(x, offset));
  }

  static fit(all: WeightedRows, opts: BoostOptions = {}): BoostedTrees {
    const rows = thinned(all, opts.maxRows ?? 40_000);
    const { d, n, x, y, w } = rows;
    const depth = opts.depth ?? 3;
    const rate = opts.rate ?? 0.1;
    const lambda = opts.lambda ?? 1;
    const B = opts.bins ?? 32;
    const cuts = quantileCuts(rows, B - 1);
    // binned features: bin b means cuts[j][b-1] < x <= cuts[j][b]
    const bin = new Uint8Array(n * d);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < d; j++) {
        const c = cuts[j] as Float64Array;
        const v = x[i * d + j] ?? 0;
        let lo = 0;
        let hi = c.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (v > (c[mid] ?? 0)) lo = mid + 1;
          else hi = mid;
        }
        bin[i * d + j] = lo;
      }
    }
    let sw = 0;
    let sy = 0;
    for (let i = 0; i < n; i++) {
      sw += w[i] ?? 0;
      sy += (w[i] ?? 0) * (y[i] ?? 0);
    }
    const mean = Math.min(1 - 1e-6, Math.max(1e-6, sy / Math.max(sw, 1e-12)));
    const base = Math.log(mean / (1 - mean));
    const F = new Float64Array(n).fill(base);
    const g = new Float64Array(n);
    const h = new Float64Array(n);
    const node = new Int32Array(n);
    const trees: Tree[] = [];
    const internal = 2 ** depth - 1;
    for (let t = 0; t < (opts.trees ?? 40); t++) {
      for (let i = 0; i < n; i++) {
        const p = sigmoid(F[i] ?? 0);
        g[i] = (w[i] ?? 0) * (p - (y[i] ?? 0));
        h[i] = (w[i] ?? 0) * Math.max(p * (1 - p), 1e-9);
      }
      node.fill(0);
      const feature = new Int16Array(internal).fill(-1);
      const cut = new Float64Array(internal);
      for (let level = 0; level < depth; level++) {
        const first = 2 ** level - 1;
        const count = 2 ** level;
        const G = new Float64Array(count * d * B);
        const H = new Float64Array(count * d * B);
        for (let i = 0; i < n; i++) {
          const k = (node[i] ?? 0) - first;
          const gi = g[i] ?? 0;
          const hi = h[i] ?? 0;
          const o = k * d * B;
          for (let j = 0; j < d; j++) {
            const idx = o + j * B + (bin[i * d + j] ?? 0);
            G[idx] = (G[idx] ?? 0) + gi;
            H[idx] = (H[idx] ?? 0) + hi;
          }
        }
        for (let k = 0; k < count; k++) {
          let best = 0;
          for (let j = 0; j < d; j++) {
            const o = k * d * B + j * B;
            let gt = 0;
            let ht = 0;
            for (let b = 0; b < B; b++) {
              gt += G[o + b] ?? 0;
              ht += H[o + b] ?? 0;
            }
            const parent = (gt * gt) / (ht + lambda);
            let gl = 0;
            let hl = 0;
            const c = cuts[j] as Float64Array;
            for (let b = 0; b < c.length; b++) {
              gl += G[o + b] ?? 0;
              hl += H[o + b] ?? 0;
              const gain = (gl * gl) / (hl + lambda) + ((gt - gl) ** 2) / (ht - hl + lambda) - parent;
              if (gain > best) {
                best = gain;
                feature[first + k] = j;
                cut[first + k] = c[b] ?? 0;
              }
            }
          }
        }
        for (let i = 0; i < n; i++) {
          const nd = node[i] ?? 0;
          const j = feature[nd] ?? -1;
          node[i] = 2 * nd + (j >= 0 && (x[i * d + j] ?? 0) > (cut[nd] ?? 0) ? 2 : 1);
        }
      }
      const leaves = 2 ** depth;
      const LG = new Float64Array(leaves);
      const LH = new Float64Array(leaves);
      for (let i = 0; i < n; i++) {
        const l = (node[i] ?? 0) - internal;
        LG[l] = (LG[l] ?? 0) + (g[i] ?? 0);
        LH[l] = (LH[l] ?? 0) + (h[i] ?? 0);
      }
      const leaf = new Float64Array(leaves);
      for (let l = 0; l < leaves; l++) leaf[l] = (-rate * (LG[l] ?? 0)) / ((LH[l] ?? 0) + lambda);
      for (let i = 0; i < n; i++) F[i] = (F[i] ?? 0) + (leaf[(node[i] ?? 0) - internal] ?? 0);
      trees.push({ feature, cut, leaf });
    }
    return new BoostedTrees(base, trees, depth);
  }
}

/** up to k distinct cut values per feature at evenly spaced ranks of (a stride sample of) the rows */
function quantileCuts(rows: WeightedRows, k: number): Float64Array[] {
  const { d, n, x } = rows;
  const stride = Math.max(1, Math.floor(n / 20_000));
  return Array.from({ length: d }, (_, j) => {
    const v: number[] = [];
    for (let i = 0; i < n; i += stride) v.push(x[i * d + j] ?? 0);
    v.sort((a, b) => a - b);
    const out: number[] = [];
    for (let q = 1; q <= k; q++) {
      const c = v[Math.min(v.length - 1, Math.floor((q * v.length) / (k + 1)))] ?? 0;
      if (out.length === 0 || c > (out[out.length - 1] ?? 0)) out.push(c);
    }
    // the largest value cannot split anything off
    if (out.length > 0 && out[out.length - 1] === v[v.length - 1]) out.pop();
    return Float64Array.from(out);
  });
}
