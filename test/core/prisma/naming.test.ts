import assert from 'node:assert/strict';
import { loadPrismaSchema } from '../../../src/core/schema/prisma/loadPrismaSchema';
import { getDatamodel } from '../../../src/core/schema/prisma/dmmf';
import {
  clientAccessor,
  nonUniqueIndexName,
  primaryKeyName,
  truncateUtf8,
  uniqueIndexName,
} from '../../../src/core/schema/prisma/naming';
import { operatorClassSql, prismaColumnType } from '../../../src/core/schema/prisma/types';
import { fixture } from './helpers';

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

describe('Prisma default names', () => {
  it('joins DB table and column names with the suffix', () => {
    assert.equal(primaryKeyName('users'), 'users_pkey');
    assert.equal(uniqueIndexName('posts', ['author_id', 'slug']), 'posts_author_id_slug_key');
    assert.equal(nonUniqueIndexName('users', ['created_at']), 'users_created_at_idx');
  });

  it('truncates `{table}_{columns}` to 63 bytes minus the suffix, keeping whole UTF-8 characters', () => {
    // 41 + 1 + 17 = 59 bytes before `_idx`: the column part is cut, not just the table name.
    assert.equal(
      nonUniqueIndexName('environmental_sensor_measurements_archive', ['temperatureReadingCelsius', 'humidityReadingPercent']),
      'environmental_sensor_measurements_archive_temperatureReadin_idx',
    );
    // A 57-byte table + `_` is 58 bytes; the 59th byte would be half of `ä`, so the cut backs off to 58.
    const table = 'umweltsensor_messwerte_für_die_langzeitarchivierung_2024';
    assert.equal(bytes(table), 57);
    assert.equal(nonUniqueIndexName(table, ['änderung']), `${table}__idx`);
    assert.equal(primaryKeyName('a_table_whose_name_alone_is_longer_than_fifty_eight_bytes_in_total'), 'a_table_whose_name_alone_is_longer_than_fifty_eight_bytes__pkey');
    assert.equal(truncateUtf8('aä', 2), 'a');
    assert.equal(truncateUtf8('aä', 3), 'aä');
  });

  it('matches the names Prisma\'s engine computes (a map: equal to the default name collides)', () => {
    const { text } = fixture('long-names.prisma');
    const { schema, problems } = loadPrismaSchema(text, 'long-names.prisma');
    assert.deepEqual(problems, []);
    const names = [...schema.tables.values()].flatMap((t) => t.indexes.map((i) => ({ table: t.name, name: i.name })));
    assert.deepEqual(names.map((n) => n.name).sort(), [
      'a_table_whose_name_alone_is_longer_than_fifty_eight_bytes__pkey',
      'environmental_sensor_measurements_archive_pkey',
      'environmental_sensor_measurements_archive_temperatureReadin_idx',
      'environmental_sensor_measurements_archive_temperatureReadin_key',
      'umweltsensor_messwerte_für_die_langzeitarchivierung_2024__idx',
      'umweltsensor_messwerte_für_die_langzeitarchivierung_2024_pkey',
    ].sort());
    const collides = (tableName: string, name: string): boolean => {
      const at = text.indexOf(`@@map("${tableName}")`);
      assert.ok(at > 0);
      const probe = `${text.slice(0, at)}@@index([id], map: "${name}")\n  ${text.slice(at)}`;
      try {
        getDatamodel(probe);
        return false;
      } catch (e) {
        const message = String(e instanceof Error ? e.message : e);
        return message.includes('has to be unique') && message.includes(name);
      }
    };
    for (const { table, name } of names) {
      assert.ok(bytes(name) <= 63, name);
      assert.ok(collides(table, name), `Prisma's own default name differs from ${name}`);
    }
    // The oracle can fail: a name one character off doesn't collide.
    assert.equal(collides('environmental_sensor_measurements_archive', 'environmental_sensor_measurements_archive_temperatureReadi_idx'), false);
  });

  it('lower-cases the first letter for Prisma Client accessors', () => {
    assert.equal(clientAccessor('CourseProgress'), 'courseProgress');
    assert.equal(clientAccessor('user'), 'user');
  });
});

describe('Prisma → PostgreSQL types', () => {
  it('maps scalars, native types, lists and enums', () => {
    assert.equal(prismaColumnType('DateTime', null, false), 'timestamp(3)');
    assert.equal(prismaColumnType('DateTime', ['Timestamptz', ['6']], false), 'timestamptz(6)');
    assert.equal(prismaColumnType('DateTime', ['Date', []], false), 'date');
    assert.equal(prismaColumnType('String', ['Uuid', []], false), 'uuid');
    assert.equal(prismaColumnType('Float', ['Real', []], false), 'real');
    assert.equal(prismaColumnType('Json', ['Json', []], false), 'json');
    assert.equal(prismaColumnType('Int', null, true), 'integer[]');
    assert.equal(prismaColumnType('Role', null, true, 'Role'), 'Role[]');
  });

  it('spells operator classes the way PostgreSQL does', () => {
    assert.equal(operatorClassSql('JsonbPathOps'), 'jsonb_path_ops');
    assert.equal(operatorClassSql('Int4MinMaxMultiOps'), 'int4_minmax_multi_ops');
    assert.equal(operatorClassSql('TimestampTzBloomOps'), 'timestamptz_bloom_ops');
    assert.equal(operatorClassSql('VarBitMinMaxOps'), 'varbit_minmax_ops');
    assert.equal(operatorClassSql('gin_trgm_ops'), 'gin_trgm_ops'); // raw("…")
  });
});
