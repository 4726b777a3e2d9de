/** Number, size, time and location formatting shared by the report's renderers. */
import * as path from 'node:path';
import type { ReportLocation } from '../healthReport';

export function bytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(1)} GB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} kB`;
  return `${n} B`;
}

export function count(n: number): string {
  if (n >= 1e9) return `${+(n / 1e9).toFixed(1)}G`;
  if (n >= 1e6) return `${+(n / 1e6).toFixed(1)}M`;
  if (n >= 1e4) return `${Math.round(n / 1e3)}k`;
  if (n >= 1e3) return `${+(n / 1e3).toFixed(1)}k`;
  return String(Math.round(n));
}

export function ms(n: number): string {
  if (n >= 3_600_000) return `${+(n / 3_600_000).toFixed(1)} h`;
  if (n >= 60_000) return `${+(n / 60_000).toFixed(1)} min`;
  if (n >= 1000) return `${+(n / 1000).toFixed(n >= 10_000 ? 0 : 1)} s`;
  if (n >= 10) return `${Math.round(n)} ms`;
  return `${+n.toFixed(n >= 1 ? 1 : 2)} ms`;
}

export function pct(r: number | undefined): string {
  if (r === undefined) return '—';
  return `${(r * 100).toFixed(r > 0 && r < 0.1 ? 1 : 0)}%`;
}

/** `2025-10-01 20:53` (UTC), or `never`. */
export function when(iso: string | undefined): string {
  if (!iso) return 'never';
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}

/** The later of two ISO times, with which it is (manual or auto). */
export function latest(manual: string | undefined, auto: string | undefined): string {
  if (!manual && !auto) return 'never';
  if (!auto || (manual && manual > auto)) return `${when(manual)} (manual)`;
  return `${when(auto)} (auto)`;
}

/** A location as `path:line` relative to `base` (forward slashes, 1-based line). */
export function locText(l: ReportLocation, base: string): string {
  return `${rel(l.file, base)}:${l.line + 1}`;
}

export function rel(file: string, base: string): string {
  const r = path.relative(base, file);
  return (r && !path.isAbsolute(r) ? r : file).split(path.sep).join('/');
}

/** A link target for a saved report: the file relative to the report's folder, with GitHub's `#L<line>` anchor. */
export function href(l: ReportLocation, base: string): string {
  return `${rel(l.file, base).split('/').map(encodeURIComponent).join('/')}#L${l.line + 1}`;
}
