import * as fs from 'fs';
import { PgCluster } from '../test/support/pgCluster';
import { openSession } from '../src/core/db/connection';
import { explainStatement, renderExplain } from '../src/core/db/explain';
(async () => {
  const t0 = Date.now();
  const c = await PgCluster.start();
  console.log('cluster', Date.now() - t0);
  try {
    c.psql(fs.readFileSync('examples/lms/prisma/migrations/20251001205346_init/migration.sql', 'utf8'));
    c.psql(`INSERT INTO users SELECT 'u'||g, 'n'||g, 'e'||g||'@x', NULL, NULL, 'STUDENT', now(), now() FROM generate_series(1,20000) g; ANALYZE`);
    const s = await openSession(c.url());
    for (const sql of [
      `SELECT * FROM users WHERE email = $1`,
      `SELECT id, name, email, role, "createdAt" FROM users WHERE role = $1 ORDER BY "createdAt" DESC LIMIT $2 OFFSET $3`,
      `SELECT $1`,
    ]) {
      const r = await explainStatement(s, sql);
      console.log(renderExplain(r), '\n', r.elapsedMs, 'ms\n');
    }
    const before = c.psql('SELECT count(*), md5(string_agg(id||name, \',\' ORDER BY id)) FROM users');
    const r = await explainStatement(s, `UPDATE users SET name = 'x' WHERE id IN (SELECT id FROM users LIMIT 100) RETURNING id`, { analyze: true });
    console.log(renderExplain(r));
    console.log(before === c.psql('SELECT count(*), md5(string_agg(id||name, \',\' ORDER BY id)) FROM users'));
    const r2 = await explainStatement(s, `SELECT * FROM users WHERE name = 'n5'`, { analyze: true });
    console.log(renderExplain(r2));
    await s.close();
  } finally { c.stop(); }
})();
