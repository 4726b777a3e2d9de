import type { Queryable } from './connection';

/** The server's settings of these names (pg_settings, as the connected role sees them), by name; a name the server lacks is absent. */
export async function readPgSettings(q: Queryable, names: string[]): Promise<Map<string, string>> {
  const rows = await q.query<{ name: string; setting: string }>(`SELECT name, setting FROM pg_catalog.pg_settings WHERE name = ANY ($1::text[])`, [names]);
  return new Map(rows.map((r) => [r.name, r.setting]));
}
