import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin';
import { citext } from '@electric-sql/pglite/contrib/citext';
import { uuid_ossp } from '@electric-sql/pglite/contrib/uuid_ossp';
import { pgcrypto } from '@electric-sql/pglite/contrib/pgcrypto';
(async () => {
  const t0 = Date.now();
  const db = await PGlite.create({ extensions: { pg_trgm, btree_gin, citext, uuid_ossp, pgcrypto } });
  console.log('start', Date.now() - t0, 'ms', Math.round(process.memoryUsage().rss/1e6), 'MB');
  let t = Date.now();
  await db.exec('CREATE EXTENSION pg_trgm');
  console.log('trgm', Date.now() - t);
  t = Date.now();
  await db.exec(`SET statement_timeout = 200`);
  try { await db.exec('SELECT pg_sleep(1)'); console.log('no timeout', Date.now()-t); } catch (e) { console.log('timeout works', (e as Error).message, Date.now()-t); }
  t = Date.now();
  await db.exec(`CREATE TABLE t (id text primary key, a int, b text); SELECT setseed(0.5); INSERT INTO t SELECT substr(md5('t:'||g),1,24), floor(random()*1000)::int, md5(random()::text) FROM generate_series(1,100000) g;`);
  console.log('100k rows', Date.now() - t);
  t = Date.now(); await db.exec('ANALYZE'); console.log('analyze', Date.now()-t);
  console.log((await db.query(`SELECT a FROM t ORDER BY id LIMIT 3`)).rows);
  console.log('rss', Math.round(process.memoryUsage().rss/1e6));
  await db.close();
})();
