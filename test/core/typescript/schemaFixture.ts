/**
 * A hand-built SchemaModel for the TypeScript extractor tests (the schema.prisma
 * loader is written separately). Mirrors this schema.prisma:
 *
 *   enum Role { STUDENT INSTRUCTOR ADMIN }
 *   model User {
 *     id String @id; name String?; email String @unique
 *     emailVerified DateTime? @map("email_verified"); role Role; createdAt DateTime; deletedAt DateTime?
 *     profile Json?; tags String[]
 *     enrollments Enrollment[]; courses Course[] @relation("CourseInstructor")
 *     @@map("users")
 *   }
 *   model Course {
 *     id String @id; title String; slug String @unique; published Boolean; price Decimal
 *     instructorId String @map("instructor_id"); createdAt DateTime
 *     instructor User @relation("CourseInstructor", fields: [instructorId], references: [id])
 *     enrollments Enrollment[]; modules CourseModule[]; analytics CourseAnalytics?
 *     @@map("courses")
 *   }
 *   model Enrollment {
 *     id String @id; userId String; courseId String; status String; enrolledAt DateTime
 *     user User @relation(fields: [userId], references: [id])
 *     course Course @relation(fields: [courseId], references: [id])
 *     @@unique([userId, courseId]) @@map("enrollments")
 *   }
 *   model CourseModule {
 *     id String @id; courseId String; title String; order Int @map("position")
 *     course Course @relation(fields: [courseId], references: [id])
 *     @@map("course_modules")
 *   }
 *   model CourseAnalytics {
 *     id String @id; courseId String @unique @map("course_id"); totalEnrollments Int
 *     course Course @relation(fields: [courseId], references: [id])
 *     @@map("course_analytics")
 *   }
 */
import type { ColumnDef, PrismaField, PrismaModel, SchemaModel, TableDef } from '../../../src/core/model/schema';

function scalar(name: string, type: string, column: string = name, isList = false): PrismaField {
  return { name, column, type, isList };
}

function relation(name: string, model: string, isList: boolean, fields: string[] = [], references: string[] = []): PrismaField {
  return { name, type: model, isList, relation: { model, fields, references } };
}

function model(name: string, table: string, fields: PrismaField[], compound: [string, string[]][] = []): PrismaModel {
  return { name, table, fields: new Map(fields.map((f) => [f.name, f])), compoundUniques: new Map(compound) };
}

function tableOf(m: PrismaModel): TableDef {
  const columns = new Map<string, ColumnDef>();
  for (const f of m.fields.values()) {
    if (f.column) columns.set(f.column, { name: f.column, type: f.type.toLowerCase(), nullable: false });
  }
  return { name: m.table, schema: 'public', columns, indexes: [], foreignKeys: [], model: m.name };
}

/** FOREIGN KEY constraints of the FK-holding relation sides. */
function addForeignKeys(models: PrismaModel[], tables: Map<string, TableDef>): void {
  const byName = new Map(models.map((m) => [m.name, m]));
  for (const m of models) {
    for (const f of m.fields.values()) {
      const rel = f.relation;
      const target = rel ? byName.get(rel.model) : undefined;
      if (!rel || !target || rel.fields.length === 0) continue;
      tables.get(m.table)!.foreignKeys.push({
        columns: rel.fields.map((n) => m.fields.get(n)!.column!),
        refTable: target.table,
        refColumns: rel.references.map((n) => target.fields.get(n)!.column!),
      });
    }
  }
}

export function lmsSchema(): SchemaModel {
  const models = [
    model('User', 'users', [
      scalar('id', 'String'),
      scalar('name', 'String'),
      scalar('email', 'String'),
      scalar('emailVerified', 'DateTime', 'email_verified'),
      scalar('role', 'Role'),
      scalar('createdAt', 'DateTime'),
      scalar('deletedAt', 'DateTime'),
      scalar('profile', 'Json'),
      scalar('tags', 'String', 'tags', true),
      relation('enrollments', 'Enrollment', true),
      relation('courses', 'Course', true),
    ]),
    model('Course', 'courses', [
      scalar('id', 'String'),
      scalar('title', 'String'),
      scalar('slug', 'String'),
      scalar('published', 'Boolean'),
      scalar('price', 'Decimal'),
      scalar('instructorId', 'String', 'instructor_id'),
      scalar('createdAt', 'DateTime'),
      relation('instructor', 'User', false, ['instructorId'], ['id']),
      relation('enrollments', 'Enrollment', true),
      relation('modules', 'CourseModule', true),
      relation('analytics', 'CourseAnalytics', false),
    ]),
    model(
      'Enrollment',
      'enrollments',
      [
        scalar('id', 'String'),
        scalar('userId', 'String'),
        scalar('courseId', 'String'),
        scalar('status', 'String'),
        scalar('enrolledAt', 'DateTime'),
        relation('user', 'User', false, ['userId'], ['id']),
        relation('course', 'Course', false, ['courseId'], ['id']),
      ],
      [['userId_courseId', ['userId', 'courseId']]],
    ),
    model('CourseModule', 'course_modules', [
      scalar('id', 'String'),
      scalar('courseId', 'String'),
      scalar('title', 'String'),
      scalar('order', 'Int', 'position'),
      relation('course', 'Course', false, ['courseId'], ['id']),
    ]),
    model('CourseAnalytics', 'course_analytics', [
      scalar('id', 'String'),
      scalar('courseId', 'String', 'course_id'),
      scalar('totalEnrollments', 'Int'),
      relation('course', 'Course', false, ['courseId'], ['id']),
    ]),
  ];
  const accessors = new Map(models.map((m) => [m.name.charAt(0).toLowerCase() + m.name.slice(1), m.name]));
  const tables = new Map(models.map((m) => [m.table, tableOf(m)]));
  addForeignKeys(models, tables);
  return {
    tables,
    enums: new Map([['Role', { name: 'Role', values: ['STUDENT', 'INSTRUCTOR', 'ADMIN'] }]]),
    prisma: { file: 'prisma/schema.prisma', models: new Map(models.map((m) => [m.name, m])), accessors },
  };
}
