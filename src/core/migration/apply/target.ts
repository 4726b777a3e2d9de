/** Refuses production-looking targets unless the user names the database again. */

export interface TargetCheck {
  database: string;
  host: string;
  /** The name or host looks like production (prod, production, live as a word). */
  production: boolean;
  why?: string;
  /** On the allow-list (by database name, or host/database). */
  allowed: boolean;
}

const PRODUCTION = /(^|[^a-z0-9])(prod|production|live)([^a-z0-9]|$)/i;

export function parseTarget(url: string): { database: string; host: string } {
  try {
    const u = new URL(url);
    return { database: decodeURIComponent(u.pathname.replace(/^\//, '')) || decodeURIComponent(u.username) || 'postgres', host: u.hostname || 'localhost' };
  } catch {
    return { database: url, host: '' };
  }
}

export function checkTarget(url: string, allowed: string[] = []): TargetCheck {
  const { database, host } = parseTarget(url);
  const reasons: string[] = [];
  if (PRODUCTION.test(database)) reasons.push(`database name "${database}"`);
  if (PRODUCTION.test(host)) reasons.push(`host "${host}"`);
  const isAllowed = allowed.some((a) => a === database || a === `${host}/${database}`);
  return { database, host, production: reasons.length > 0, why: reasons.length ? `${reasons.join(' and ')} look${reasons.length === 1 ? 's' : ''} like production` : undefined, allowed: isAllowed };
}

/** Undefined when the apply may go ahead; otherwise why not. */
export function refusal(check: TargetCheck, confirm: string | undefined): string | undefined {
  if (!check.production || check.allowed) return undefined;
  if (confirm === check.database) return undefined;
  if (confirm !== undefined) return `--confirm "${confirm}" does not match the database name "${check.database}"`;
  return `${check.why}: type the database name again to go ahead (--confirm ${check.database}), or add it to the allowed databases`;
}

/** `5s`, `500ms`, `2min`, `1h`, `1d`, or a number of milliseconds, as PostgreSQL reads timeout settings. */
export function parseDuration(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|min|h|d)?\s*$/i.exec(v);
  if (!m) return undefined;
  const mult: Record<string, number> = { ms: 1, s: 1000, min: 60_000, h: 3_600_000, d: 86_400_000 };
  return Math.round(Number(m[1]) * mult[(m[2] ?? 'ms').toLowerCase()]);
}
