/**
 * A small hand-written SVG renderer for the effect benchmark (no dependency): two panels.
 * 1. Per query, the speed-up over "before" of the tool's migration and of the plan's, side by side,
 *    as horizontal bars on a log scale starting at 1× (a bar to the left of 1× is a slow-down).
 * 2. Per index set, total index size (x) against the geometric-mean speed-up over all queries (y, log).
 */

export interface ChartQuery {
  id: string;
  label: string;
  /** Speed-up of the tool's migration and of the plan's (NaN: not measured). */
  tool: number;
  plan: number;
}

export interface ChartSet {
  id: string;
  label: string;
  indexBytes: number;
  indexCount: number;
  geomean: number;
}

export interface ChartData {
  title: string;
  subtitle: string;
  queries: ChartQuery[];
  sets: ChartSet[];
}

export const COLORS = { tool: '#2b6cb0', plan: '#dd6b20', before: '#718096', grid: '#e2e8f0', axis: '#4a5568', text: '#1a202c' };

export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Powers of ten covering [lo, hi] (and 1). */
export function decades(lo: number, hi: number): [number, number] {
  const a = Math.floor(Math.log10(Math.min(lo, 1)));
  const b = Math.ceil(Math.log10(Math.max(hi, 1)));
  return [10 ** a, 10 ** (b === a ? a + 1 : b)];
}

/** Maps [d0, d1] (positive) to [r0, r1] logarithmically; values are clamped to the domain. */
export function logScale(d0: number, d1: number, r0: number, r1: number): (x: number) => number {
  const l0 = Math.log10(d0);
  const l1 = Math.log10(d1);
  return (x: number) => {
    const v = Math.min(Math.max(Math.log10(Math.max(x, Number.MIN_VALUE)), l0), l1);
    return r0 + ((v - l0) / (l1 - l0)) * (r1 - r0);
  };
}

export function linScale(d0: number, d1: number, r0: number, r1: number): (x: number) => number {
  return (x: number) => r0 + ((x - d0) / (d1 - d0 || 1)) * (r1 - r0);
}

function fmtX(x: number): string {
  if (!Number.isFinite(x)) return 'n/a';
  if (x >= 100) return `${x.toFixed(0)}×`;
  if (x >= 10) return `${x.toFixed(1)}×`;
  return `${x.toFixed(2)}×`;
}

function decadeLabel(x: number): string {
  return x >= 1 ? `${x}×` : `${x}×`;
}

function text(x: number, y: number, s: string, attrs = ''): string {
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" ${attrs}>${esc(s)}</text>`;
}

function truncate(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n - 1)}…`;
}

export function renderEffectChart(d: ChartData): string {
  const W = 1000;
  const labelW = 330;
  const plotL = labelW + 10;
  const plotR = W - 70;
  const top = 90;
  const rowH = 30;
  const barH = 11;
  const n = d.queries.length;
  const p1Bottom = top + n * rowH;
  const vals = d.queries.flatMap((q) => [q.tool, q.plan]).filter((x) => Number.isFinite(x) && x > 0);
  const [lo, hi] = decades(Math.min(1, ...vals), Math.max(1, ...vals));
  const x = logScale(lo, hi, plotL, plotR);
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="__H__" viewBox="0 0 ${W} __H__" font-family="Helvetica, Arial, sans-serif" font-size="12" fill="${COLORS.text}">`);
  out.push(`<rect width="100%" height="100%" fill="#ffffff"/>`);
  out.push(text(20, 28, d.title, 'font-size="18" font-weight="bold"'));
  out.push(text(20, 48, d.subtitle, `font-size="12" fill="${COLORS.axis}"`));
  // Legend.
  out.push(`<rect x="${plotL}" y="60" width="14" height="10" fill="${COLORS.tool}"/>`, text(plotL + 20, 69, 'pg-index-review’s migration'));
  out.push(`<rect x="${plotL + 220}" y="60" width="14" height="10" fill="${COLORS.plan}"/>`, text(plotL + 240, 69, 'the plan’s migration (corrected to run)'));
  // Grid: decades and their 2× and 5×.
  for (let dec = lo; dec <= hi * 1.0001; dec *= 10) {
    for (const m of [1, 2, 5]) {
      const v = dec * m;
      if (v > hi * 1.0001) break;
      const gx = x(v);
      out.push(`<line x1="${gx.toFixed(1)}" y1="${top - 6}" x2="${gx.toFixed(1)}" y2="${p1Bottom}" stroke="${m === 1 ? '#cbd5e0' : COLORS.grid}" stroke-width="1"/>`);
      if (m === 1) out.push(text(gx, p1Bottom + 16, decadeLabel(v), `text-anchor="middle" fill="${COLORS.axis}"`));
    }
  }
  out.push(text((plotL + plotR) / 2, p1Bottom + 34, 'speed-up over before (log scale; left of 1× = slower)', `text-anchor="middle" fill="${COLORS.axis}"`));
  const x1 = x(1);
  out.push(`<line x1="${x1.toFixed(1)}" y1="${top - 6}" x2="${x1.toFixed(1)}" y2="${p1Bottom}" stroke="${COLORS.axis}" stroke-width="1.5"/>`);
  d.queries.forEach((q, i) => {
    const y0 = top + i * rowH;
    if (i % 2 === 1) out.push(`<rect x="10" y="${y0}" width="${W - 20}" height="${rowH}" fill="#f7fafc" opacity="0.6"/>`);
    out.push(text(labelW, y0 + rowH / 2 + 4, truncate(`${q.id}  ${q.label}`, 46), 'text-anchor="end"'));
    (['tool', 'plan'] as const).forEach((k, j) => {
      const v = q[k];
      const by = y0 + 3 + j * (barH + 2);
      if (!Number.isFinite(v) || v <= 0) {
        out.push(text(x1 + 4, by + barH - 1, 'n/a', `font-size="10" fill="${COLORS.axis}"`));
        return;
      }
      const xv = x(v);
      const left = Math.min(x1, xv);
      const w = Math.max(Math.abs(xv - x1), 1);
      out.push(`<rect x="${left.toFixed(1)}" y="${by}" width="${w.toFixed(1)}" height="${barH}" fill="${COLORS[k]}"><title>${esc(`${q.id} ${k}: ${fmtX(v)}`)}</title></rect>`);
      const lx = v >= 1 ? xv + 4 : xv - 4;
      out.push(text(lx, by + barH - 1, fmtX(v), `font-size="10" ${v >= 1 ? '' : 'text-anchor="end"'} fill="${COLORS.axis}"`));
    });
  });

  // Panel 2: index size vs geometric-mean speed-up.
  const p2Top = p1Bottom + 90;
  const p2H = 260;
  const p2L = 120;
  const p2R = W - 220;
  out.push(text(20, p2Top - 22, 'Total index size vs geometric-mean speed-up over all queries, per index set', 'font-size="14" font-weight="bold"'));
  const mb = d.sets.map((s) => s.indexBytes / 2 ** 20);
  const xmin = Math.min(...mb);
  const xmax = Math.max(...mb);
  const pad = Math.max((xmax - xmin) * 0.15, xmax * 0.02, 1);
  const sx = linScale(Math.max(0, xmin - pad), xmax + pad, p2L, p2R);
  const gm = d.sets.map((s) => s.geomean).filter((g) => Number.isFinite(g) && g > 0);
  // Padded so no point sits on the frame.
  const glo = Math.min(1, ...gm) / 1.6;
  const ghi = Math.max(1, ...gm) * 1.6;
  const sy = logScale(glo, ghi, p2Top + p2H, p2Top);
  out.push(`<rect x="${p2L}" y="${p2Top}" width="${p2R - p2L}" height="${p2H}" fill="none" stroke="${COLORS.grid}"/>`);
  for (let dec = 10 ** Math.floor(Math.log10(glo)); dec <= ghi; dec *= 10) {
    for (const m of [1, 2, 5]) {
      const v = dec * m;
      if (v < glo || v > ghi) continue;
      const gy = sy(v);
      out.push(`<line x1="${p2L}" y1="${gy.toFixed(1)}" x2="${p2R}" y2="${gy.toFixed(1)}" stroke="${m === 1 ? '#cbd5e0' : COLORS.grid}"/>`);
      out.push(text(p2L - 6, gy + 4, fmtX(v), `text-anchor="end" font-size="10" fill="${COLORS.axis}"`));
    }
  }
  const ticks = 5;
  const [t0, t1] = [Math.max(0, xmin - pad), xmax + pad];
  for (let i = 0; i <= ticks; i++) {
    const v = t0 + ((t1 - t0) * i) / ticks;
    out.push(text(sx(v), p2Top + p2H + 16, `${v.toFixed(0)} MB`, `text-anchor="middle" font-size="10" fill="${COLORS.axis}"`));
  }
  out.push(text((p2L + p2R) / 2, p2Top + p2H + 36, 'total index size (pg_indexes_size over all tables)', `text-anchor="middle" fill="${COLORS.axis}"`));
  out.push(text(24, p2Top + p2H / 2, 'geometric-mean speed-up', `text-anchor="middle" fill="${COLORS.axis}" transform="rotate(-90 24 ${p2Top + p2H / 2})"`));
  d.sets.forEach((s, i) => {
    const cx = sx(mb[i]);
    const cy = sy(Number.isFinite(s.geomean) && s.geomean > 0 ? s.geomean : 1);
    const color = (COLORS as Record<string, string>)[s.id] ?? COLORS.axis;
    out.push(`<circle cx="${cx.toFixed(1)}" cy="${cy.toFixed(1)}" r="8" fill="${color}" stroke="#ffffff" stroke-width="2"><title>${esc(s.label)}</title></circle>`);
    // Labels to the right of the point (the plot leaves 220 px for them); the one on the left edge too.
    const tx = cx + 14;
    const anchor = '';
    out.push(text(tx, cy - 2, s.label, `font-weight="bold" ${anchor}`));
    out.push(text(tx, cy + 13, `${(s.indexBytes / 2 ** 20).toFixed(0)} MB in ${s.indexCount} indexes, ${fmtX(s.geomean)}`, `font-size="11" fill="${COLORS.axis}" ${anchor}`));
  });
  const H = p2Top + p2H + 56;
  out.push('</svg>');
  return out.join('\n').replace(/__H__/g, String(H)) + '\n';
}
