import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import * as fs from 'fs';
(async () => {
  const t0 = Date.now();
  const db = await PGlite.create({ extensions: { pg_trgm } });
  console.log('start', Date.now() - t0, 'ms', Math.round(process.memoryUsage().rss/1e6), 'MB');
  const t1 = Date.now();
  await db.exec(fs.readFileSync('/work/main/examples/lms/prisma/migrations/20251001205346_init/migration.sql', 'utf8'));
  console.log('schema', Date.now() - t1);
  console.log((await db.query('SELECT version()')).rows);
  const r = (await db.exec('EXPLAIN (GENERIC_PLAN, FORMAT JSON, VERBOSE, SETTINGS) SELECT * FROM users WHERE email = $1')).at(-1)!;
  console.log(JSON.stringify(r.rows[0]).slice(0, 500));
  await db.exec('CREATE EXTENSION pg_trgm');
  const r2 = await db.query('SELECT $1::int + 1 AS x', [41]);
  console.log(r2.rows, r2.fields);
  console.log('rss', Math.round(process.memoryUsage().rss/1e6));
  await db.close();
})();
