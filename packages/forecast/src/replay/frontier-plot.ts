// SVG of the frontier: invocation-weighted cold-start % (y, log scale) against wasted memory
// relative to fixed 10-minute keep-alive (x, log scale), one line per policy family.
export interface FrontierPoint { readonly memoryVsFixed10: number; readonly coldStartPct: number; readonly label: string }
export interface FrontierSeries { readonly name: string; readonly color: string; readonly points: readonly FrontierPoint[] }

const W = 760;
const H = 480;
const M = { l: 70, r: 170, t: 40, b: 56 };

export function frontierSvg(title: string, series: readonly FrontierSeries[]): string {
  const pts = series.flatMap((s) => s.points).filter((p) => p.memoryVsFixed10 > 0 && p.coldStartPct > 0);
  const xs = pts.map((p) => p.memoryVsFixed10);
  const ys = pts.map((p) => p.coldStartPct);
  const x0 = Math.log10(Math.min(0.1, ...xs));
  const x1 = Math.log10(Math.max(4, ...xs));
  const y0 = Math.log10(Math.min(0.05, ...ys));
  const y1 = Math.log10(Math.max(10, ...ys));
  const px = (x: number): number => M.l + ((Math.log10(x) - x0) / (x1 - x0)) * (W - M.l - M.r);
  const py = (y: number): number => H - M.b - ((Math.log10(y) - y0) / (y1 - y0)) * (H - M.t - M.b);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2 - 60}" y="22" font-size="14" text-anchor="middle">${escapeXml(title)}</text>`,
  ];
  for (const v of [0.1, 0.2, 0.5, 1, 2, 4, 8]) {
    if (Math.log10(v) < x0 || Math.log10(v) > x1) continue;
    parts.push(`<line x1="${px(v)}" y1="${M.t}" x2="${px(v)}" y2="${H - M.b}" stroke="${v === 1 ? '#888' : '#ddd'}"/>`, `<text x="${px(v)}" y="${H - M.b + 16}" text-anchor="middle">${v}x</text>`);
  }
  for (const v of [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50]) {
    if (Math.log10(v) < y0 || Math.log10(v) > y1) continue;
    parts.push(`<line x1="${M.l}" y1="${py(v)}" x2="${W - M.r}" y2="${py(v)}" stroke="#ddd"/>`, `<text x="${M.l - 6}" y="${py(v) + 4}" text-anchor="end">${v}%</text>`);
  }
  parts.push(
    `<text x="${(M.l + W - M.r) / 2}" y="${H - 14}" text-anchor="middle">wasted memory relative to fixed 10-minute keep-alive (log)</text>`,
    `<text x="16" y="${H / 2}" transform="rotate(-90 16 ${H / 2})" text-anchor="middle">invocation-weighted cold starts (log)</text>`,
  );
  series.forEach((s, i) => {
    const ok = s.points.filter((p) => p.memoryVsFixed10 > 0 && p.coldStartPct > 0);
    if (ok.length > 1) parts.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${ok.map((p) => `${px(p.memoryVsFixed10).toFixed(1)},${py(p.coldStartPct).toFixed(1)}`).join(' ')}"/>`);
    for (const p of ok) parts.push(`<circle cx="${px(p.memoryVsFixed10).toFixed(1)}" cy="${py(p.coldStartPct).toFixed(1)}" r="4" fill="${s.color}"><title>${escapeXml(`${s.name} ${p.label}`)}</title></circle>`);
    const ly = M.t + 10 + i * 20;
    parts.push(`<rect x="${W - M.r + 14}" y="${ly - 9}" width="12" height="12" fill="${s.color}"/>`, `<text x="${W - M.r + 32}" y="${ly + 2}">${escapeXml(s.name)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
