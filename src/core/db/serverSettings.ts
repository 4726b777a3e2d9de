/** Connection limits of a server: what pool sizing has to fit into. */
import type { Queryable } from './connection';
import { readPgSettings } from './pgSettings';

export interface ServerSettings {
  maxConnections: number;
  /** `superuser_reserved_connections`: slots only superusers may take. */
  superuserReserved: number;
  /** `reserved_connections` (PostgreSQL 16+): slots for roles with pg_use_reserved_connections. 0 before 16. */
  reserved: number;
  /** What ordinary application roles can open: max_connections − superuser_reserved − reserved. */
  availableToApp: number;
  /** The connecting role is a superuser (it may use the reserved slots). */
  superuser: boolean;
}

export async function readServerSettings(q: Queryable): Promise<ServerSettings> {
  const settings = await readPgSettings(q, ['max_connections', 'superuser_reserved_connections', 'reserved_connections']);
  const get = (n: string): string | undefined => settings.get(n);
  const maxConnections = Number(get('max_connections') ?? 100);
  const superuserReserved = Number(get('superuser_reserved_connections') ?? 3);
  const reserved = Number(get('reserved_connections') ?? 0);
  const su = await q.query<{ su: boolean }>(`SELECT rolsuper AS su FROM pg_catalog.pg_roles WHERE rolname = current_user`);
  return { maxConnections, superuserReserved, reserved, availableToApp: Math.max(0, maxConnections - superuserReserved - reserved), superuser: !!su[0]?.su };
}
